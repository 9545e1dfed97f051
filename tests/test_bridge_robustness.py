"""Worker pool robustness, for real: wall-time cap, killed workers, no hangs, no leftover JVMs,
flat memory over thousands of levels."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from simulator_support import flat_level, gap_level, vglc_windows, wall_level

from gym_mario_latent.errors import SimulatorError
from gym_mario_latent.simulator_bridge import Simulator, Telemetry, find_java
from gym_mario_latent.simulator_bridge.simulator import MAX_PLAYS_PER_LEVEL

pytestmark = pytest.mark.timeout(120)  # nothing may hang


def ended(process: psutil.Process) -> bool:
    """True if `process` has exited (a zombie has: reaping an orphan is its new parent's job)."""
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def gone(pid: int) -> bool:
    """True if process `pid` no longer exists (reaped, not a zombie)."""
    try:
        psutil.Process(pid)  # a zombie still exists: it was not reaped
    except psutil.NoSuchProcess:
        return True
    return False


def test_a_level_over_the_wall_time_cap_is_a_timeout_and_its_worker_is_replaced():
    # hopeless and endless: an hour of game time, full search every tick, no stall limit
    slow = wall_level(8)
    with Simulator(workers=1, time_limit=3600, node_budget=100_000, stall_limit=0, wall_time_limit=1) as sim:
        first_pid = sim.worker_pids[0]
        start = time.monotonic()
        telemetry = sim.evaluate(slow)
        assert time.monotonic() - start < 10
        assert telemetry.status == "timeout" and not telemetry.won and telemetry.raw == {}
        assert "longer than 1 s" in telemetry.reason and "killed" in telemetry.reason
        assert telemetry.to_dict()["reason"] == telemetry.reason
        assert gone(first_pid)
        assert sim.evaluate(flat_level()).won  # on a fresh worker
        assert sim.worker_pids and sim.worker_pids[0] != first_pid


def test_killing_a_worker_mid_batch_loses_no_level():
    # hopeless walls play 5 game seconds at full search: long enough to be killed mid-level
    levels = [wall_level(7) if i % 3 else gap_level(i % 9 + 1, width=30) for i in range(18)]
    with Simulator(workers=2, time_limit=5, stall_limit=0) as simulator:
        reference = [t.to_dict() for t in simulator.evaluate_many(levels)]
        victim = simulator.worker_pids[0]
        sent = simulator.levels_sent
        results = []
        batch = threading.Thread(target=lambda: results.extend(simulator.evaluate_many(levels)))
        batch.start()
        while simulator.levels_sent < sent + 5:
            time.sleep(0.01)
        os.kill(victim, signal.SIGKILL)
        batch.join(timeout=100)
        assert not batch.is_alive()
        assert [t.to_dict() for t in results] == reference
        assert simulator.levels_sent > sent + len(levels)  # the lost level was played again
        assert victim not in simulator.worker_pids and len(simulator.worker_pids) == 2
    assert gone(victim)


def kill_each_worker_that_plays(simulator: Simulator, plays: list[int]) -> threading.Thread:
    """Starts a thread that SIGKILLs the (single) worker once it was sent play n, for each n in `plays`."""

    def kill() -> None:
        for play in plays:
            while simulator.levels_sent < play:
                time.sleep(0.005)
            os.kill(simulator.worker_pids[0], signal.SIGKILL)

    killer = threading.Thread(target=kill, daemon=True)
    killer.start()
    return killer


@pytest.mark.slow
@pytest.mark.timeout(900)  # hundreds of JVM restarts: a minute or more on a loaded machine
def test_a_batch_under_a_worker_killer_returns_every_finished_level_as_a_clean_run_does():
    levels = vglc_windows()[:600]
    with Simulator(workers=2) as simulator:
        clean = [t.to_dict() for t in simulator.evaluate_many(levels)]
        killed: list[int] = []
        results: list[Telemetry] = []
        batch = threading.Thread(target=lambda: results.extend(simulator.evaluate_many(levels)))
        batch.start()
        while batch.is_alive():  # every 0.2 s, kill a worker: playing, idle or starting up
            time.sleep(0.2)
            pids = simulator.worker_pids
            if pids and batch.is_alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pids[len(killed) % len(pids)], signal.SIGKILL)
                    killed.append(pids[len(killed) % len(pids)])
        batch.join()
        assert len(killed) >= 3 and len(results) == len(levels)
        errors = [t for t in results if t.status == "error"]
        assert all(t.reason and t.raw == {} for t in errors)
        assert [t.to_dict() for t in results if t.status != "error"] == [
            c for c, t in zip(clean, results, strict=True) if t.status != "error"
        ]
        assert len(errors) < len(levels)  # the batch went on: the killer did not end it
        assert [t.to_dict() for t in simulator.evaluate_many(levels[:20])] == clean[:20]
    assert all(gone(pid) for pid in killed)


def test_a_worker_killed_while_starting_up_is_started_again_and_the_batch_loses_nothing(tmp_path):
    # a java that takes two seconds to start: its replacement is caught before the JVM even runs
    slow_java = tmp_path / "slow-java"
    slow_java.write_text(
        f"#!{sys.executable}\nimport os, sys, time\ntime.sleep(2)\n"
        f"os.execv({find_java().path!r}, [{find_java().path!r}, *sys.argv[1:]])\n"
    )
    slow_java.chmod(0o755)
    levels = [gap_level(gap, width=30) for gap in (1, 3, 12, 2, 4)]
    with Simulator(workers=1, java=slow_java) as simulator:
        clean = [t.to_dict() for t in simulator.evaluate_many(levels)]
        first = simulator.worker_pids[0]
        sent = simulator.levels_sent
        results: list[Telemetry] = []
        batch = threading.Thread(target=lambda: results.extend(simulator.evaluate_many(levels)))
        batch.start()
        while simulator.levels_sent < sent + 2:
            time.sleep(0.005)
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while not (set(simulator.worker_pids) - {first}) and time.monotonic() < deadline:
            time.sleep(0.005)
        starting = psutil.Process(simulator.worker_pids[0])
        assert starting.name() == slow_java.name  # still in its start-up: not yet the JVM
        starting.kill()
        batch.join(timeout=100)
        assert [t.to_dict() for t in results] == clean
        assert simulator.worker_pids and simulator.worker_pids[0] not in (first, starting.pid)


def test_a_level_whose_worker_dies_on_every_play_is_an_error_and_the_batch_plays_on():
    slow = wall_level(8)  # hopeless: plays for minutes at full search, so it is killed mid-game
    levels = [flat_level(), slow, gap_level(3, width=30)]
    with Simulator(workers=1, time_limit=3600, node_budget=100_000, stall_limit=0) as simulator:
        killer = kill_each_worker_that_plays(simulator, [2, 3, 4])  # the slow level's three plays
        results = simulator.evaluate_many(levels)
        killer.join()
        assert [t.status for t in results] == ["win", "error", "win"]
        assert f"died each of the {MAX_PLAYS_PER_LEVEL} times" in results[1].reason
        assert results[1].raw == {} and "error" in repr(results[1])
        assert simulator.levels_sent == 5


def test_once_a_batch_has_spent_its_restarts_its_levels_are_errors_and_the_next_batch_has_new_ones():
    slow = wall_level(8)
    levels = [slow, flat_level(), flat_level()]
    with Simulator(
        workers=1, time_limit=3600, node_budget=100_000, stall_limit=0, max_restarts=0
    ) as simulator:
        killer = kill_each_worker_that_plays(simulator, [1])
        results = simulator.evaluate_many(levels)
        killer.join()
        assert [t.status for t in results] == ["error"] * 3
        assert all("the batch's 0 worker restarts are spent" in t.reason for t in results)
        assert simulator.evaluate(flat_level()).won  # a new batch may restart the worker again


def test_closing_the_simulator_while_a_batch_runs_raises_the_simulator_error_saying_so():
    levels = [wall_level(7)] * 20  # 5 game seconds of full search each
    with Simulator(workers=1, time_limit=5, stall_limit=0) as simulator:
        errors: list[BaseException] = []

        def run() -> None:
            try:
                simulator.evaluate_many(levels)
            except BaseException as error:
                errors.append(error)

        batch = threading.Thread(target=run)
        batch.start()
        while simulator.levels_sent < 1:
            time.sleep(0.01)
        simulator.close()
        batch.join(timeout=60)
    assert len(errors) == 1 and type(errors[0]) is SimulatorError
    assert "closed while the batch ran" in str(errors[0])
    with pytest.raises(SimulatorError, match="closed"):
        simulator.evaluate_many(levels)


@pytest.mark.parametrize("parent_signal", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_workers_end_within_two_seconds_when_their_python_parent_is_killed_mid_game(parent_signal):
    script = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from simulator_support import wall_level\n"
        "from gym_mario_latent.simulator_bridge import Simulator\n"
        "simulator = Simulator(workers=1, time_limit=3600, node_budget=100_000, stall_limit=0, "
        "wall_time_limit=None)\n"
        "print(simulator.worker_pids[0], flush=True)\n"
        "simulator.evaluate(wall_level(8))\n"  # an hour of game time: far longer than this test
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        jvm = psutil.Process(int(parent.stdout.readline()))
        cpu_at_start = sum(jvm.cpu_times()[:2])
        deadline = time.monotonic() + 60
        while sum(jvm.cpu_times()[:2]) < cpu_at_start + 0.5 and time.monotonic() < deadline:
            time.sleep(0.05)  # until the JVM is busy playing
        assert parent.poll() is None and jvm.is_running()
    finally:
        parent.send_signal(parent_signal)
        killed_at = time.monotonic()
        parent.wait()
    while not ended(jvm) and time.monotonic() < killed_at + 2:
        time.sleep(0.02)
    assert ended(jvm)


def test_a_worker_killed_while_idle_is_replaced_on_the_next_level():
    with Simulator(workers=1) as simulator:
        victim = simulator.worker_pids[0]
        os.kill(victim, signal.SIGKILL)
        psutil.Process(victim).wait(timeout=10)
        assert simulator.evaluate(flat_level()).won
        assert simulator.worker_pids != [victim]


def test_close_leaves_no_child_processes():
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    simulator = Simulator(workers=2)
    pids = simulator.worker_pids
    assert len(pids) == 2 and not set(pids) & before
    simulator.evaluate_many([flat_level()] * 4)
    simulator.close()
    assert all(gone(pid) for pid in pids)
    assert {p.pid for p in psutil.Process().children(recursive=True)} <= before
    with pytest.raises(SimulatorError, match="closed"):
        simulator.evaluate(flat_level())
    simulator.close()  # twice is fine


def test_an_unclosed_simulator_is_stopped_when_garbage_collected():
    simulator = Simulator(workers=1)
    simulator.evaluate(flat_level())
    pids = simulator.worker_pids
    del simulator
    gc.collect()
    assert all(gone(pid) for pid in pids)


def test_workers_of_an_unclosed_simulator_end_with_the_python_process():
    script = (
        "import json; from gym_mario_latent.simulator_bridge import Simulator\n"
        "simulator = Simulator(workers=2)\n"
        "print(json.dumps(simulator.worker_pids), flush=True)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    pids = json.loads(result.stdout)
    assert len(pids) == 2 and all(gone(pid) for pid in pids)


def test_a_jvm_that_cannot_start_is_an_error_and_leaves_nothing_behind(tmp_path):
    not_a_jar = tmp_path / "simulator.jar"
    not_a_jar.write_text("not a jar")
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with pytest.raises(SimulatorError, match="exited"):
        Simulator(workers=2, jar=not_a_jar)
    assert {p.pid for p in psutil.Process().children(recursive=True)} <= before


@pytest.mark.slow
def test_memory_stays_flat_over_thousands_of_levels():
    levels = vglc_windows()[:600]
    python = psutil.Process()
    with Simulator(workers=2, padding=False) as simulator:

        def usage() -> tuple[int, int, int]:
            jvms = sum(psutil.Process(pid).memory_info().rss for pid in simulator.worker_pids)
            return python.memory_info().rss, jvms, len(gc.get_objects())

        simulator.evaluate_many(levels)  # warm: JIT, heap sizes, caches
        simulator.evaluate_many(levels)
        gc.collect()
        python_start, jvm_start, objects_start = usage()
        for _ in range(3):
            simulator.evaluate_many(levels)
        gc.collect()
        python_end, jvm_end, objects_end = usage()
    assert objects_end - objects_start < 100
    assert python_end - python_start < 16 * 2**20
    assert jvm_end - jvm_start < 64 * 2**20
