"""RaySimulator on a multi-node cluster on this machine (a head and two one-CPU worker nodes), for real:
the same telemetry as the local pool, and the same again when an actor is killed or a node removed
mid-batch."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import ray
from ray.cluster_utils import Cluster

from gym_mario_latent.simulator_bridge import RaySimulator

pytestmark = pytest.mark.timeout(180)

STORE = 100 * 2**20
#: Node deaths detected within about a second (Ray's default health check takes ~15 s).
HEALTH_CHECKS = {
    "health_check_initial_delay_ms": 0,
    "health_check_period_ms": 500,
    "health_check_failure_threshold": 2,
}


@pytest.fixture(scope="module")
def cluster():
    head = {
        "num_cpus": 0,
        "include_dashboard": False,
        "object_store_memory": STORE,
        "_system_config": HEALTH_CHECKS,
    }
    cluster = Cluster(initialize_head=True, head_node_args=head)
    workers = [cluster.add_node(num_cpus=1, object_store_memory=STORE) for _ in range(2)]
    cluster.wait_for_nodes()
    ray.init(address=cluster.address, log_to_driver=False)
    yield cluster, workers
    ray.shutdown()
    cluster.shutdown()


def run_with_fault(simulator: RaySimulator, batch: list[str], fault) -> list:
    """Plays `batch`, calling `fault()` once every chunk of it is out on the actors."""
    sent = simulator.levels_sent
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(simulator.evaluate_many, batch)
        while simulator.levels_sent < sent + len(batch) and not running.done():
            time.sleep(0.01)
        time.sleep(0.05)
        fault()
        return running.result()


def test_the_batch_on_two_nodes_equals_the_local_pool(cluster, ray_batch, ray_batch_local_results):
    with RaySimulator(workers=2) as simulator:
        assert simulator.n_workers == 2 and not simulator.owns_ray
        assert simulator.evaluate_many(ray_batch) == ray_batch_local_results


def test_an_actor_killed_mid_batch_has_its_levels_re_run_and_the_batch_is_identical(
    cluster, ray_batch, ray_batch_local_results
):
    batch = ray_batch[:100]
    with RaySimulator(workers=2) as simulator:
        victim = simulator.actors[0]
        results = run_with_fault(simulator, batch, lambda: ray.kill(victim))
        assert results == ray_batch_local_results[:100]
        assert simulator.actors_lost == 1 and simulator.levels_sent > len(batch)  # its chunks ran again
        assert victim not in simulator.actors
        assert (
            simulator.evaluate_many(batch[:20]) == ray_batch_local_results[:20]
        )  # its replacement (or the other) plays


# Last: the cluster has one worker node left after it.
def test_a_node_removed_mid_batch_has_its_levels_re_run_and_the_batch_is_identical(
    cluster, ray_batch, ray_batch_local_results
):
    ray_cluster, workers = cluster
    batch = ray_batch[:100]
    with RaySimulator(workers=2) as simulator:
        results = run_with_fault(simulator, batch, lambda: ray_cluster.remove_node(workers[1]))
        assert results == ray_batch_local_results[:100]
        assert simulator.actors_lost == 1 and simulator.levels_sent > len(batch)
        assert len(simulator.actors) == 1  # no room for a replacement: the other node's actor played on
