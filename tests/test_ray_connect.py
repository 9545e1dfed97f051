"""RaySimulator given a cluster address that cannot be reached: one clear error within start_timeout,
nothing left running (this module starts no Ray of its own)."""

from __future__ import annotations

import re
import threading
import time

import psutil
import pytest
import ray

from gym_mario_latent.errors import SimulatorError
from gym_mario_latent.simulator_bridge import RaySimulator

pytestmark = pytest.mark.timeout(120)


WITHIN_3_S = re.escape(" within 3 s (start_timeout)")


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1:1", WITHIN_3_S),  # nothing listens (Ray retries the head for over ten minutes)
        ("198.51.100.1:6379", WITHIN_3_S),  # a documentation-only network (RFC 5737): no Ray there
        ("ray://127.0.0.1:1", ".+"),  # the Ray Client's form: its own error, or the time limit
    ],
)
def test_an_unreachable_cluster_fails_within_start_timeout_naming_its_address(address, reason):
    assert not ray.is_initialized()
    threads = set(threading.enumerate())
    start = time.monotonic()
    message = re.escape(f"cannot join the Ray cluster at '{address}'") + reason
    with pytest.raises(SimulatorError, match=message):
        RaySimulator(address, workers=1, start_timeout=3)
    assert time.monotonic() - start < 3 + 1
    assert not ray.is_initialized()
    assert psutil.Process().children(recursive=True) == []
    assert set(threading.enumerate()) == threads


def test_an_unreachable_ray_address_from_the_environment_fails_the_same_way(monkeypatch):
    monkeypatch.setenv("RAY_ADDRESS", "127.0.0.1:1")
    with pytest.raises(SimulatorError, match=re.escape("'127.0.0.1:1'")):
        RaySimulator(workers=1, start_timeout=3)
    assert not ray.is_initialized()
