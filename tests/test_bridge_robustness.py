"""Worker pool robustness, for real: wall-time cap, killed workers, no hangs, no leftover JVMs,
flat memory over thousands of levels."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time

import psutil
import pytest
from simulator_support import flat_level, gap_level, vglc_windows, wall_level

from gym_mario_latent.errors import SimulatorError
from gym_mario_latent.simulator_bridge import Simulator

pytestmark = pytest.mark.timeout(120)  # nothing may hang


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
