"""Helpers for the explorer tests: a real ``gym-mario-latent explore`` server on 127.0.0.1, and JSON over
HTTP."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from simulator_support import REPO

STARTUP_SECONDS = 120


@contextlib.contextmanager
def explorer_server(home: Path, *args: str) -> Iterator[str]:
    """Runs ``gym-mario-latent explore --port 0 ARGS`` with the user folders under `home`; yields its URL."""
    env = os.environ | {"GYM_MARIO_LATENT_HOME": str(home), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "gym_mario_latent.cli.main", "explore", "--port", "0", "--workers", "2"]
    process = subprocess.Popen(
        [*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO
    )
    try:
        line = process.stdout.readline()  # the server prints its URL once it listens
        if "serving http" not in line:
            process.kill()
            raise RuntimeError(f"the explorer did not start: {line!r} {process.stderr.read()[-2000:]}")
        yield line.split("serving ", 1)[1].split()[0]
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def request(url: str, body: Any = None, raw: bytes | Iterable[bytes] | None = None) -> tuple[int, Any]:
    """(status, answer) of a GET, or of a POST of `body` as JSON (or of `raw` bytes, chunked when they come as
    an iterable); JSON answers parsed."""
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data is not None else {}
    call = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(call, timeout=300) as response:
            status, kind, content = response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        status, kind, content = error.code, error.headers.get_content_type(), error.read()
    return status, json.loads(content) if kind == "application/json" else content


def finished_map(url: str, body: dict[str, Any], timeout: float = 300) -> dict[str, Any]:
    """Starts a playability map and polls it until it is done; returns the finished job."""
    status, job = request(url + "api/playability", body)
    assert status == 200, job
    deadline = time.monotonic() + timeout
    while job["state"] in ("queued", "running"):
        assert time.monotonic() < deadline, f"the map did not finish in {timeout} s: {job}"
        time.sleep(0.2)
        status, job = request(url + f"api/playability/{job['id']}")
        assert status == 200, job
    assert job["state"] == "done", job
    return job


def write_elites_file(path: Path, count: int = 12, seed: int = 0) -> Path:
    """An elites file of `count` random 32-d latents of ``pretrained-32`` in a 6 × 4 archive over sky tiles ×
    enemies, their measures those of their decoded segments (what examples/map_elites.py writes)."""
    import numpy as np
    import torch
    from ribs.archives import GridArchive

    from gym_mario_latent.latent import measures
    from gym_mario_latent.latent.elites import save_elites
    from gym_mario_latent.vae import load_pretrained

    latents = np.random.default_rng(seed).standard_normal((count, 32)).astype(np.float32)
    with torch.no_grad():
        segments = load_pretrained("pretrained-32").decode_levels(torch.from_numpy(latents)).numpy()
    values = np.array([[measures.sky_tiles(s), measures.enemies(s)] for s in segments], dtype=float)
    archive = GridArchive(solution_dim=32, dims=(6, 4), ranges=[(0, 60), (0, 8)], seed=seed)
    archive.add(latents, np.linspace(0.1, 1.0, count), values)
    return save_elites(archive, path, ("sky_tiles", "enemies"), generator="pretrained-32")
