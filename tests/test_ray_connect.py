"""RaySimulator given a cluster address that cannot be reached: one clear error within start_timeout,
nothing left running (this module starts no Ray of its own)."""

from __future__ import annotations

import http.server
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
#: Seconds past start_timeout the error may take: starting and stopping the child that tries to join
#: (a Python that imports Ray) on a busy machine.
MARGIN_S = 4


@pytest.fixture(scope="module")
def not_ray() -> str:
    """The address of a server on this machine that answers, but is no Ray (an HTTP server)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1:1", WITHIN_3_S),  # nothing listens (Ray retries the head for over ten minutes)
        ("not-ray", WITHIN_3_S),  # something answers, but not Ray (Ray retries as long)
        ("ray://127.0.0.1:1", ".+"),  # the Ray Client's form: its own error, or the time limit
    ],
)
def test_an_unreachable_cluster_fails_within_start_timeout_naming_its_address(address, reason, request):
    if address == "not-ray":
        address = request.getfixturevalue("not_ray")
    assert not ray.is_initialized()
    threads = set(threading.enumerate())
    children = set(psutil.Process().children(recursive=True))  # other tests' JVMs and servers may run
    start = time.monotonic()
    message = re.escape(f"cannot join the Ray cluster at '{address}'") + reason
    with pytest.raises(SimulatorError, match=message):
        RaySimulator(address, workers=1, start_timeout=3)
    assert time.monotonic() - start < 3 + MARGIN_S
    assert not ray.is_initialized()
    assert set(psutil.Process().children(recursive=True)) <= children  # the joining child is gone
    assert set(threading.enumerate()) == threads


def test_an_unreachable_ray_address_from_the_environment_fails_the_same_way(monkeypatch):
    monkeypatch.setenv("RAY_ADDRESS", "127.0.0.1:1")
    with pytest.raises(SimulatorError, match=re.escape("'127.0.0.1:1'")):
        RaySimulator(workers=1, start_timeout=3)
    assert not ray.is_initialized()
