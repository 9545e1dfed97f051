"""RaySimulator on a local Ray (2 CPUs), for real: the same telemetry as the local pool, the latent envs on
either backend, a killed JVM restarted by its actor, the wall-time cap, no JVM left, Simulator's keywords
checked before any actor starts, and Ray workers that make the registered envs by name."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import gymnasium as gym
import numpy as np
import psutil
import pytest
import ray
from simulator_support import flat_level, wall_level

from gym_mario_latent.errors import LevelFormatError, SimulatorError
from gym_mario_latent.simulator_bridge import RaySimulator, Simulator, SimulatorBackend

pytestmark = pytest.mark.timeout(180)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
#: A small object store and no dashboard: the machine is shared.
RAY_OPTIONS = {"include_dashboard": False, "object_store_memory": 200 * 2**20, "log_to_driver": False}


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    ray.init(num_cpus=2, **RAY_OPTIONS)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def ray_simulator():
    with RaySimulator(workers=2) as simulator:
        yield simulator


def gone(pids: list[int], within: float = 10.0) -> bool:
    """True once every process in `pids` has exited (a zombie has) within `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        alive = []
        for pid in pids:
            with contextlib.suppress(psutil.NoSuchProcess):
                alive.append(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
        if not any(alive):
            return True
        time.sleep(0.2)
    return False


def make_and_step_registered_envs(z: list[float]) -> tuple:
    """What an RLlib env runner does with an env ID: import the package, make the env by name, step it."""
    import gym_mario_latent  # noqa: F401  (registers the IDs)

    with gym.make("MarioLatent-v0", workers=1) as latent:
        latent.reset(seed=3)
        _, reward, terminated, _, info = latent.step(np.asarray(z, dtype=np.float32))
    with gym.make("SuperMarioBros-1-1-v0") as nes:
        nes.reset(seed=3)
        for _ in range(30):
            _, _, _, _, nes_info = nes.step(128)  # the right button (a NES controller byte)
    return float(reward), bool(terminated), info["telemetry"]["status"], nes_info["x_pos"], os.getpid()


# Ray workers cannot import this test module: send its functions by value.
ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
make_and_step_registered_envs_on_a_worker = ray.remote(num_cpus=1)(make_and_step_registered_envs)


# The tests up to the first that uses `ray_simulator` run while the module's two CPUs are free (its actors
# hold them from then on).
def test_a_ray_worker_makes_and_steps_the_latent_and_the_nes_env_by_id():
    z = [0.5, -0.25]
    *on_worker, worker_pid = ray.get(make_and_step_registered_envs_on_a_worker.remote(z))
    *here, pid = make_and_step_registered_envs(z)
    assert worker_pid != pid == os.getpid()
    assert on_worker == here
    assert on_worker[3] > 150  # x_pos: Mario ran right on the worker as he does here


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"wall_time_limit": 0}, ValueError, "wall_time_limit"),
        ({"alphabet": "nes"}, ValueError, "alphabet"),
        ({"node_budget": 0}, ValueError, "node_budget"),
        ({"nonsense": 1}, TypeError, r"RaySimulator\(\) got unknown arguments \['nonsense'\]"),
    ],
)
def test_ray_simulator_checks_the_keywords_of_simulator_before_any_actor_starts(options, error, message):
    with pytest.raises(error, match=message):
        RaySimulator(workers=1, **options)


def test_the_wall_time_cap_stops_a_level_on_an_actor_and_close_leaves_no_jvm():
    slow = wall_level(8)  # hopeless and endless: an hour of game time, full search, no stall limit
    options = {"time_limit": 3600, "node_budget": 100_000, "stall_limit": 0, "wall_time_limit": 1}
    with RaySimulator(workers=1, **options) as simulator:
        pids = simulator.worker_pids
        start = time.monotonic()
        timed_out, after = simulator.evaluate_many([slow, flat_level()])
        assert time.monotonic() - start < 15
        assert timed_out.status == "timeout" and "longer than 1 s" in timed_out.reason
        assert after.won  # on the JVM the actor started in place of the killed one
        assert gone(pids, within=1)
        pids = simulator.worker_pids
    assert gone(pids)
    with pytest.raises(SimulatorError, match="closed"):
        simulator.evaluate(flat_level())


def test_the_cma_es_example_plays_its_games_on_the_ray_cluster_it_is_given(tmp_path):
    address = ray.get_runtime_context().gcs_address
    args = [
        "--generations",
        "1",
        "--population",
        "4",
        "--workers",
        "1",
        "--ray",
        address,
        "--out",
        str(tmp_path),
    ]
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "cmaes_jumps.py"), *args], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "Started a local Ray instance" not in result.stderr  # it joined this one
    assert re.search(r"^\s+1\s+\d+\s", result.stdout, re.MULTILINE) and (tmp_path / "best.png").is_file()


def test_evaluate_many_on_200_vglc_windows_equals_the_local_pool(
    ray_simulator, ray_batch, ray_batch_local_results
):
    assert isinstance(ray_simulator, SimulatorBackend) and isinstance(Simulator, type)
    results = ray_simulator.evaluate_many(ray_batch, progress=True)
    assert results == ray_batch_local_results
    assert [t.raw for t in results] == [t.raw for t in ray_batch_local_results]
    assert {t.status for t in results} >= {"win", "lose"}


def test_each_level_is_played_by_the_agent_named_for_it_as_on_the_local_pool(
    ray_simulator, ray_batch, ray_batch_local_results
):
    agents = ["killer", None, "collector"] * 4
    results = ray_simulator.evaluate_many(ray_batch[:12], agents=agents)
    assert [t.agent for t in results] == [agent or "astar" for agent in agents]
    with Simulator(2) as local:
        assert [t.raw for t in results] == [t.raw for t in local.evaluate_many(ray_batch[:12], agents=agents)]
    with pytest.raises(ValueError, match="one agent per level"):
        ray_simulator.evaluate_many(ray_batch[:2], agents=["killer"])


def test_a_bad_level_is_refused_before_any_level_is_sent(ray_simulator, ray_batch):
    sent = ray_simulator.levels_sent
    with pytest.raises(LevelFormatError):
        ray_simulator.evaluate_many([ray_batch[0], "XQ\nXZ\n"])
    assert ray_simulator.levels_sent == sent


def test_a_jvm_killed_mid_batch_is_restarted_by_its_actor_and_the_batch_is_identical(
    ray_simulator, ray_batch, ray_batch_local_results
):
    first, sent = ray_simulator.worker_pids, ray_simulator.levels_sent
    batch = ray_batch[:100]
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(ray_simulator.evaluate_many, batch)
        while ray_simulator.levels_sent < sent + len(batch):  # 4 chunks, all handed out at once
            time.sleep(0.01)
        time.sleep(0.05)
        for pid in first:
            os.kill(pid, signal.SIGKILL)
        assert running.result() == ray_batch_local_results[:100]
    assert ray_simulator.actors_lost == 0
    now = ray_simulator.worker_pids
    assert len(now) == 2 and not set(now) & set(first)


def test_the_latent_vector_env_on_ray_equals_the_same_env_on_a_local_simulator(ray_simulator, make_env):
    lanes, steps = 3, 4
    options = {"segments": 2, "terminate_on_unplayable": True, "observe_segment": True}
    actions = np.random.default_rng(14).uniform(-3, 3, (steps, lanes, 2)).astype(np.float32)
    with Simulator(workers=2) as local:
        runs = []
        for simulator in (ray_simulator, local):
            vector = make_env(
                gym.make_vec, "MarioLatentLevel-v0", num_envs=lanes, simulator=simulator, **options
            )
            observations, _ = vector.reset(seed=14)
            run = [observations]
            for step_actions in actions:
                observations, rewards, terminated, truncated, infos = vector.step(step_actions)
                run.append((observations, rewards, terminated, truncated, infos.get("telemetry")))
            runs.append(run)
    on_ray, on_local = runs
    for ray_step, local_step in zip(on_ray[1:], on_local[1:], strict=True):
        for ray_part, local_part in zip(ray_step[:4], local_step[:4], strict=True):
            if isinstance(ray_part, dict):
                for key in ray_part:
                    np.testing.assert_array_equal(ray_part[key], local_part[key])
            else:
                np.testing.assert_array_equal(ray_part, local_part)
        assert (ray_step[4] is None) == (local_step[4] is None)
        if ray_step[4] is not None:
            for key in ("status", "completion", "jumps", "ticks"):
                np.testing.assert_array_equal(ray_step[4][key], local_step[4][key])


def play_on_a_shared_simulator(simulator: RaySimulator, levels: list) -> tuple[list, list, int]:
    """What an RLlib env runner does with a simulator in its env config: play on it, then close it."""
    results = simulator.evaluate_many(levels)
    actors = simulator.actors
    simulator.close()
    return [t.raw for t in results], actors, os.getpid()


def test_a_pickled_ray_simulator_plays_on_the_same_actors_and_closing_it_leaves_them_playing(
    ray_simulator, ray_batch, ray_batch_local_results
):
    pids = ray_simulator.worker_pids
    on_a_worker = ray.remote(num_cpus=0)(play_on_a_shared_simulator)  # the actors hold both CPUs
    raws, actors, pid = ray.get(on_a_worker.remote(ray_simulator, ray_batch[:20]))
    assert pid != os.getpid()
    assert raws == [t.raw for t in ray_batch_local_results[:20]]
    assert actors == ray_simulator.actors  # the same pool, not one of its own
    assert ray_simulator.evaluate_many(ray_batch[:4]) == ray_batch_local_results[:4]
    assert ray_simulator.worker_pids == pids  # the view's close() stopped no JVM
