"""`SimulatorBackend`: the interface of every simulator backend (the local JVM pool :class:`Simulator`, the
Ray pool :class:`RaySimulator`), which the latent envs and the batch API type against, and the set-up
the backends share (argument checks, the jar's facts, the level requests)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, Self, runtime_checkable

from gym_mario_latent.errors import SimulatorBuildError
from gym_mario_latent.simulator_bridge.handshake import SimulatorFacts, read_facts
from gym_mario_latent.simulator_bridge.jar import ensure_jar
from gym_mario_latent.simulator_bridge.level_input import Alphabet, check_alphabet
from gym_mario_latent.simulator_bridge.level_requests import LevelRequests
from gym_mario_latent.simulator_bridge.padding import Padding
from gym_mario_latent.simulator_bridge.protocol import SETTING_FIELDS, GameSettings, check_number
from gym_mario_latent.simulator_bridge.runtime import check_java, find_java
from gym_mario_latent.simulator_bridge.telemetry import Telemetry


@runtime_checkable
class SimulatorBackend(Protocol):
    """Plays levels and returns their telemetry: what the envs and the batch API need of a simulator.

    ``requests`` holds the settings, alphabet and padding every level is played with; ``evaluate_many``
    keeps the order of the levels, and ``agents`` (one name per level) lets other agents play some levels of
    the same batch; ``close`` stops every worker the backend started.
    """

    requests: LevelRequests

    @property
    def settings(self) -> GameSettings: ...

    @property
    def facts(self) -> SimulatorFacts: ...

    @property
    def alphabet(self) -> Alphabet: ...

    @property
    def padding(self) -> Padding | None: ...

    def evaluate(self, level: Any) -> Telemetry: ...

    def evaluate_many(
        self,
        levels: Iterable[Any] | Any,
        progress: bool = False,
        agents: Sequence[str | None] | None = None,
    ) -> list[Telemetry]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...


class LevelRequestsBackend:
    """What every backend derives from its :class:`LevelRequests` (``self.requests``) and its lifetime:
    the settings, facts, alphabet and padding, the context manager, and copies that share the workers."""

    requests: LevelRequests

    @property
    def settings(self) -> GameSettings:
        """How each level is played."""
        return self.requests.settings

    @property
    def facts(self) -> SimulatorFacts:
        """The facts of the simulator jar (its handshake, read by this process)."""
        return self.settings.facts

    @property
    def alphabet(self) -> Alphabet:
        """The alphabet of level text passed in."""
        return self.requests.alphabet

    @property
    def padding(self) -> Padding | None:
        """The padding around each level (None: none)."""
        return self.requests.padding

    def close(self) -> None:
        raise NotImplementedError

    def __deepcopy__(self, memo: dict) -> Self:
        """A backend is a handle on running workers: a copy (e.g. of an env spec's kwargs) shares them."""
        return self

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class BackendSetUp:
    """What a backend found when it was made: the Java runtime, the jar and the checked level requests."""

    java: str
    jar: Path
    requests: LevelRequests


def check_pool_arguments(arguments: Mapping[str, Any]) -> None:
    """Raises ``ValueError`` naming the first argument of a worker pool out of its range (``arguments``: as
    :func:`set_up_backend` takes them)."""
    workers, wall_time_limit = arguments["workers"], arguments["wall_time_limit"]
    max_restarts, jvm_options = arguments["max_restarts"], arguments["jvm_options"]
    if workers is not None:
        check_number("workers", workers, 1, integer=True)
    if wall_time_limit is not None:
        check_number("wall_time_limit (seconds, or None)", wall_time_limit, 0, math.inf, low_open=True)
    check_number("start_timeout (seconds)", arguments["start_timeout"], 0, math.inf, low_open=True)
    if max_restarts is not None:
        check_number("max_restarts (per batch, or None)", max_restarts, 0, integer=True)
    if isinstance(jvm_options, str) or not all(isinstance(option, str) for option in jvm_options):
        raise ValueError(f"jvm_options must be a sequence of strings; got {jvm_options!r}")


def set_up_backend(owner: str, arguments: Mapping[str, Any]) -> BackendSetUp:
    """Checks a backend's arguments, finds Java and the jar, reads the jar's facts and checks the game
    settings against them.

    Args:
        owner: the backend's name, for messages (``"Simulator"``).
        arguments: every argument of :class:`Simulator` by name, ``workers`` to ``jvm_options`` and
            ``game_settings`` (its ``**game_settings``): its ``locals()``, or another backend's keywords
            bound to its signature. :class:`Simulator`'s signature is the one list of these keywords.

    Raises:
        ValueError: an argument out of its range, a bad alphabet, padding or setting. TypeError: an unknown
            keyword. JavaRuntimeError, SimulatorBuildError, SimulatorError: no Java ≥ 17, no jar, no facts.
    """
    check_pool_arguments(arguments)
    settings, alphabet, padding = arguments["settings"], arguments["alphabet"], arguments["padding"]
    java, jar, game_settings = arguments["java"], arguments["jar"], arguments["game_settings"]
    check_alphabet(alphabet)
    if not isinstance(padding, Padding | bool):
        raise ValueError(f"padding must be a Padding, True or False; got {padding!r}")
    if settings is not None and not isinstance(settings, GameSettings):
        raise ValueError(f"settings must be a GameSettings; got {settings!r}")
    unknown = sorted(set(game_settings) - set(SETTING_FIELDS))
    if unknown:
        known = ", ".join(SETTING_FIELDS)
        raise TypeError(f"{owner}() got unknown arguments {unknown}; its game settings are {known}")
    java_path = check_java(str(java)).path if java is not None else find_java().path
    if jar is not None and not Path(jar).is_file():
        raise SimulatorBuildError(f"jar={str(jar)!r} is not a file")
    jar_path = Path(jar) if jar is not None else ensure_jar()
    facts = read_facts(java_path, jar_path, arguments["start_timeout"])
    if settings is None:
        settings = GameSettings(**game_settings, facts=facts)
    else:  # checked again, against this jar
        settings = dataclasses.replace(settings, **game_settings, facts=facts)
    padding = Padding() if padding is True else padding or None
    return BackendSetUp(java_path, jar_path, LevelRequests(settings, alphabet, padding))


def open_simulator(workers: int | None = None, ray: bool | str = False, **options: Any) -> SimulatorBackend:
    """The local JVM pool, or with `ray` the pool on a Ray cluster (an example's ``--ray [ADDRESS]``).

    Args:
        workers: JVMs (default: the CPUs of this machine, or of the cluster).
        ray: False: a local :class:`Simulator`; True: a :class:`RaySimulator` on ``RAY_ADDRESS`` or a local
            Ray; a string: a :class:`RaySimulator` on the cluster at that address.
        **options: more arguments of either class (game settings, ``wall_time_limit`` …).
    """
    if ray is False:
        from gym_mario_latent.simulator_bridge.simulator import Simulator

        return Simulator(workers, **options)
    from gym_mario_latent.simulator_bridge.ray_simulator import RaySimulator

    return RaySimulator(None if ray is True else ray, workers, **options)
