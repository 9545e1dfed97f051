"""The Python side of the Java simulator: Java runtime discovery, the jar and its facts (from its
handshake), a pool of persistent workers, a window on one level, the telemetry, segment padding,
MarioVAE's functions, a backend for MarioVAE's own jar, and the same pool on a Ray cluster
(:class:`RaySimulator`, extra ``ray``); both pools are a :class:`SimulatorBackend`.

>>> from gym_mario_latent.simulator_bridge import Simulator
>>> with Simulator(workers=2) as simulator:
...     results = simulator.evaluate_many(levels, progress=True)
...     print(sum(t.won for t in results), results[0].completion)
"""

from typing import Any

from gym_mario_latent.simulator_bridge.backend import SimulatorBackend, open_simulator
from gym_mario_latent.simulator_bridge.build_jar import build_jar
from gym_mario_latent.simulator_bridge.handshake import SimulatorFacts, default_facts, read_facts
from gym_mario_latent.simulator_bridge.jar import ensure_jar
from gym_mario_latent.simulator_bridge.legacy import LegacyJar
from gym_mario_latent.simulator_bridge.level_requests import LevelRequests
from gym_mario_latent.simulator_bridge.mariovae import (
    run_level,
    test_level_from_decoded_tensor,
    test_level_from_int_array,
    test_level_from_int_tensor,
    test_level_from_z,
)
from gym_mario_latent.simulator_bridge.one_level import play_in_window
from gym_mario_latent.simulator_bridge.padding import Padding
from gym_mario_latent.simulator_bridge.protocol import GameSettings
from gym_mario_latent.simulator_bridge.runtime import JavaRuntime, find_java
from gym_mario_latent.simulator_bridge.simulator import Simulator
from gym_mario_latent.simulator_bridge.telemetry import Telemetry

__all__ = [
    "GameSettings",
    "JavaRuntime",
    "LegacyJar",
    "LevelRequests",
    "Padding",
    "RaySimulator",
    "Simulator",
    "SimulatorBackend",
    "SimulatorFacts",
    "Telemetry",
    "build_jar",
    "default_facts",
    "ensure_jar",
    "find_java",
    "open_simulator",
    "play_in_window",
    "read_facts",
    "run_level",
    "test_level_from_decoded_tensor",
    "test_level_from_int_array",
    "test_level_from_int_tensor",
    "test_level_from_z",
]


def __getattr__(name: str) -> Any:
    """``RaySimulator`` is imported on first use: it needs the optional ``ray`` extra."""
    if name != "RaySimulator":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        from gym_mario_latent.simulator_bridge.ray_simulator import RaySimulator
    except ModuleNotFoundError as error:
        if error.name != "ray":
            raise
        raise ImportError("RaySimulator needs Ray: pip install 'gym-mario-latent[ray]'") from error
    return RaySimulator
