"""`RaySimulator`: the local pool's interface over a Ray cluster, one persistent JVM worker per Ray actor.

Each actor (one CPU) holds a one-worker :class:`Simulator`, so the worker, the protocol, the restarts of a
dead JVM and the wall-time cap are the local pool's own code. The driver checks and pads every level with
its :class:`LevelRequests` and sends the level text in chunks, keeping a few chunks in flight per actor
(``ray.wait``), so one driver keeps a cluster busy. Needs the ``ray`` extra.
"""

from __future__ import annotations

import collections
import contextlib
import inspect
import math
import os
import signal
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ray
import ray.exceptions
from tqdm.auto import tqdm

from gym_mario_latent.errors import SimulatorError
from gym_mario_latent.simulator_bridge.backend import LevelRequestsBackend, set_up_backend
from gym_mario_latent.simulator_bridge.handshake import SimulatorFacts
from gym_mario_latent.simulator_bridge.protocol import check_number
from gym_mario_latent.simulator_bridge.simulator import CLOSED, MAX_PLAYS_PER_LEVEL, Simulator
from gym_mario_latent.simulator_bridge.telemetry import Telemetry

#: Levels sent to an actor in one call (fewer when a batch is small, so every actor gets work).
CHUNK_LEVELS = 32
#: Chunks queued on each actor at once: it starts the next as soon as one is done.
CHUNKS_IN_FLIGHT = 2
#: Seconds an actor gets to stop its JVM before it is killed.
CLOSE_GRACE_SECONDS = 5.0
#: What a lost actor raises: it died (killed, its node removed) or cannot be reached.
ACTOR_LOST = (
    ray.exceptions.RayActorError,
    ray.exceptions.ActorUnavailableError,
    ray.exceptions.ObjectLostError,
)


class SimulatorActor:
    """One Ray actor's state: a :class:`Simulator` with one JVM worker, checked to have the driver's facts."""

    def __init__(self, options: dict[str, Any], expected: SimulatorFacts) -> None:
        self.simulator = Simulator(workers=1, **options)
        if self.simulator.facts != expected:
            self.simulator.close()
            raise SimulatorError(
                f"the simulator jar on node {ray.get_runtime_context().get_node_id()} is another build "
                f"({self.simulator.facts.simulator}) than the driver's ({expected.simulator}): install the "
                "same gym-mario-latent on every node"
            )

    def worker_pids(self) -> list[int]:
        """The process ids of the actor's JVM (empty while it is being replaced)."""
        return self.simulator.worker_pids

    def play(self, texts: Sequence[str], agents: Sequence[str | None] | None = None) -> list[Telemetry]:
        """Plays prepared level texts in order, each by its agent in ``agents`` if given (see
        :meth:`Simulator.evaluate_texts`)."""
        return self.simulator.evaluate_texts(texts, agents=agents)

    def close(self) -> None:
        """Stops the JVM."""
        self.simulator.close()


def _simulator_arguments(workers: int | None, options: Mapping[str, Any]) -> dict[str, Any]:
    """Every argument of ``Simulator(workers, **options)`` by name, its defaults filled in (what
    :func:`set_up_backend` checks)."""
    arguments = inspect.signature(Simulator).bind(workers, **options)
    arguments.apply_defaults()
    return arguments.arguments


#: What a child process runs to see whether a driver can join a cluster: ``ray.init`` retries a head it
#: cannot reach for over ten minutes, and a call into Ray cannot be interrupted.
_JOIN_PROBE = (
    "import sys, ray; "
    "ray.init(address=sys.argv[1], logging_level='ERROR', log_to_driver=False); ray.shutdown()"
)


def _check_joinable(address: str | None, timeout: float) -> None:
    """Raises :class:`SimulatorError` naming the cluster's address unless a driver in a child process joins
    it within `timeout` seconds; the child is killed (with its process group) when it does not.

    The address is `address`, else ``RAY_ADDRESS``; a Ray started here (None, ``"local"``) needs no check.
    """
    target = address if address is not None else os.environ.get("RAY_ADDRESS")
    if not target or target == "local":
        return
    command = [sys.executable, "-c", _JOIN_PROBE, target]
    with subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as probe:
        try:
            _, errors = probe.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(probe.pid, signal.SIGKILL)
            probe.communicate()
            raise SimulatorError(
                f"cannot join the Ray cluster at {target!r} within {timeout:g} s (start_timeout)"
            ) from None
    if probe.returncode != 0:
        reason = (errors.strip().splitlines() or [f"exit status {probe.returncode}"])[-1]
        raise SimulatorError(f"cannot join the Ray cluster at {target!r}: {reason}")


@dataclass
class _Chunk:
    """Levels ``start`` … ``stop - 1`` of a batch, and how many times an actor died playing them."""

    start: int
    stop: int
    plays_lost: int = 0


class RaySimulator(LevelRequestsBackend):
    """Plays Mario levels on a Ray cluster, with the interface of :class:`Simulator`.

    >>> with RaySimulator() as simulator:  # joins RAY_ADDRESS, or starts Ray on this machine
    ...     batch = simulator.evaluate_many(levels, progress=True)

    Each of ``workers`` Ray actors (one CPU each) owns one persistent JVM. Levels are checked and padded
    here (a bad level raises before any is sent) and travel as level text, :data:`CHUNK_LEVELS` to a call,
    :data:`CHUNKS_IN_FLIGHT` calls queued per actor. Results equal :class:`Simulator`'s for the same levels
    and settings. Faults: a JVM that dies is restarted by its actor and its level re-run (as in the local
    pool, with ``max_restarts`` per chunk); an actor that dies (``ray.kill``, its node removed) is replaced
    when the cluster has room and its chunks re-run on the others; a chunk whose actor died
    :data:`MAX_PLAYS_PER_LEVEL` times comes back as ``"error"`` telemetry. :meth:`close` stops every actor
    and its JVM (an unclosed simulator's actors end when Ray drops their last handle, and each JVM ends with
    its actor).

    Args:
        address: the Ray cluster to join (``"auto"``, ``"ray://host:10001"``, ``"host:6379"``); None joins
            ``RAY_ADDRESS`` or starts a local Ray. Ignored when this process is connected to Ray already.
        workers: actors (an integer ≥ 1; default: the cluster's CPUs).
        ray_options: more keyword arguments of ``ray.init`` when this starts or joins Ray (e.g.
            ``num_cpus``, ``object_store_memory``, ``runtime_env``).
        chunk_levels: levels per actor call (an integer ≥ 1).
        **simulator_options: every keyword of :class:`Simulator` after ``workers``, with its defaults and
            meanings (``settings``, ``alphabet``, ``padding``, ``wall_time_limit``, ``start_timeout``,
            ``max_restarts``, ``java``, ``jar``, ``jvm_options`` and the game settings): checked here, and
            each actor's one-worker :class:`Simulator` gets them as they are. ``java`` and ``jar`` must
            then exist on every node (by default each actor finds its own).

    Raises:
        ValueError, TypeError: an argument out of its range or unknown.
        SimulatorError: this process cannot join the cluster at ``address`` (or ``RAY_ADDRESS``) within
            ``start_timeout`` seconds, or an actor did not start within it (or failed to).
    """

    #: What each actor runs (a benchmark swaps in a no-op one to measure what one driver can hand out).
    actor_class: type = SimulatorActor

    def __init__(
        self,
        address: str | None = None,
        workers: int | None = None,
        *,
        ray_options: Mapping[str, Any] | None = None,
        chunk_levels: int = CHUNK_LEVELS,
        **simulator_options: Any,
    ) -> None:
        check_number("chunk_levels", chunk_levels, 1, integer=True)
        if address is not None and not isinstance(address, str):
            raise ValueError(f"address must be a Ray address string or None; got {address!r}")
        arguments = _simulator_arguments(workers, simulator_options)
        set_up = set_up_backend("RaySimulator", arguments)
        #: levels in, requests out, replies in, telemetry out (shared with the actors' simulators)
        self.requests = set_up.requests
        self.start_timeout = arguments["start_timeout"]
        self.chunk_levels = int(chunk_levels)
        self._actor_options = simulator_options
        self.owns_ray = not ray.is_initialized()
        if self.owns_ray:
            _check_joinable(address, self.start_timeout)
            ray.init(address=address, **dict(ray_options or {}))
        self.n_workers = (
            int(workers) if workers is not None else max(1, int(ray.cluster_resources().get("CPU", 1)))
        )
        self.levels_sent = 0  # levels handed to actors, re-runs included
        self.actors_lost = 0  # actors that died (or could not be reached) while playing
        self._closed = False
        self._actor_class = ray.remote(num_cpus=1)(self.actor_class)
        self._actors: list[Any] = []
        self._borrowed: set[Any] = set()  # actors another process's simulator owns (see __reduce__)
        self._starting: dict[Any, Any] = {}  # the readiness ref of each replacement still starting → actor
        try:
            actors = [self._new_actor() for _ in range(self.n_workers)]
            self._actors = actors
            ready = [actor.worker_pids.remote() for actor in actors]
            done, _ = ray.wait(ready, num_returns=len(ready), timeout=self.start_timeout)
            if len(done) < len(ready):
                raise SimulatorError(
                    f"{len(ready) - len(done)} of {len(ready)} Ray actors did not start within "
                    f"{self.start_timeout:g} s (does the cluster have {len(ready)} free CPUs?)"
                )
            ray.get(ready)
        except ray.exceptions.RayError as error:
            self.close()
            raise SimulatorError(f"a Ray actor of the simulator failed to start: {error}") from None
        except BaseException:
            self.close()
            raise

    # -- actors ----------------------------------------------------------------------------------

    def _new_actor(self) -> Any:
        return self._actor_class.remote(self._actor_options, self.facts)

    @property
    def actors(self) -> list[Any]:
        """The handles of the actors playing levels now (replacements still starting left out)."""
        return list(self._actors)

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the actors' JVMs (on their nodes)."""
        return [
            pid for pids in ray.get([actor.worker_pids.remote() for actor in self._actors]) for pid in pids
        ]

    def _lose(self, actor: Any) -> None:
        """Drops an actor that died and starts a replacement (it plays once it is ready)."""
        if actor not in self._actors:
            return
        self._actors.remove(actor)
        self.actors_lost += 1
        with contextlib.suppress(Exception):
            ray.kill(actor)
        replacement = self._new_actor()
        self._starting[replacement.worker_pids.remote()] = replacement

    def _take_started(self, ready: list[Any]) -> None:
        """Puts the replacements whose readiness came back to work (or drops those that failed to start)."""
        for ref in ready:
            actor = self._starting.pop(ref)
            try:
                ray.get(ref)
            except ray.exceptions.RayError:
                with contextlib.suppress(Exception):
                    ray.kill(actor)
            else:
                self._actors.append(actor)

    # -- playing ---------------------------------------------------------------------------------

    def _chunks(self, levels: int) -> collections.deque[_Chunk]:
        per_actor = math.ceil(levels / (len(self._actors) * CHUNKS_IN_FLIGHT or 1))
        size = max(1, min(self.chunk_levels, per_actor))
        return collections.deque(_Chunk(start, min(start + size, levels)) for start in range(0, levels, size))

    def evaluate(self, level: Any) -> Telemetry:
        """Plays one level."""
        return self.evaluate_many([level])[0]

    def evaluate_many(
        self,
        levels: Iterable[Any] | Any,
        progress: bool = False,
        agents: Sequence[str | None] | None = None,
    ) -> list[Telemetry]:
        """Plays every level on the actors; results in the order of `levels`; ``agents`` names who plays
        each level (see :meth:`Simulator.evaluate_many`).

        Raises:
            LevelFormatError: a bad level (checked for all levels before any is sent).
            ValueError: ``agents`` of another length than the batch, or an unknown agent.
            SimulatorError: the simulator is closed, or every actor died and none could be started again
                within ``start_timeout`` seconds.
        """
        if self._closed:
            raise SimulatorError(CLOSED)
        texts = self.requests.prepare_many(levels)
        self.requests.per_level(agents, len(texts))  # checked here, before any actor plays
        results: list[Telemetry | None] = [None] * len(texts)
        waiting = self._chunks(len(texts))
        running: dict[Any, tuple[Any, _Chunk]] = {}  # result ref → (actor, chunk)
        with tqdm(total=len(texts), disable=not progress, desc="levels", unit="level") as bar:
            while waiting or running:
                self._hand_out(waiting, running, texts, agents)
                if not running and not self._starting:
                    raise SimulatorError(
                        "every Ray actor of the simulator died and none could be started again"
                    )
                timeout = None if running else self.start_timeout
                ready, _ = ray.wait([*running, *self._starting], num_returns=1, timeout=timeout)
                if not ready:
                    raise SimulatorError(
                        f"every Ray actor of the simulator died and no replacement started within "
                        f"{self.start_timeout:g} s (does the cluster have a free CPU?)"
                    )
                self._take_started([ref for ref in ready if ref in self._starting])
                for ref in ready:
                    if ref in running:
                        self._collect(ref, running.pop(ref), results, waiting, texts, bar)
        return results

    def _hand_out(
        self,
        waiting: collections.deque[_Chunk],
        running: dict,
        texts: list[str],
        agents: Sequence[str | None] | None = None,
    ) -> None:
        """Gives each actor chunks until it has :data:`CHUNKS_IN_FLIGHT` queued or none is left."""
        queued = collections.Counter(actor for actor, _ in running.values())
        for actor in self._actors:
            while waiting and queued[actor] < CHUNKS_IN_FLIGHT:
                chunk = waiting.popleft()
                chunk_agents = None if agents is None else list(agents[chunk.start : chunk.stop])
                running[actor.play.remote(texts[chunk.start : chunk.stop], chunk_agents)] = (actor, chunk)
                queued[actor] += 1
                self.levels_sent += chunk.stop - chunk.start

    def _collect(
        self,
        ref: Any,
        sent: tuple[Any, _Chunk],
        results: list[Telemetry | None],
        waiting: collections.deque[_Chunk],
        texts: list[str],
        bar: tqdm,
    ) -> None:
        """Stores a chunk's results, or puts it back (or gives up on it) when its actor died."""
        actor, chunk = sent
        try:
            telemetry = ray.get(ref)
        except ACTOR_LOST as error:
            self._lose(actor)
            chunk.plays_lost += 1
            if chunk.plays_lost < MAX_PLAYS_PER_LEVEL:
                waiting.appendleft(chunk)
                return
            reason = f"its Ray actor died each of the {chunk.plays_lost} times it played it (last: {error})"
            telemetry = [
                self.requests.unplayed(text, "error", reason) for text in texts[chunk.start : chunk.stop]
            ]
        except ray.exceptions.RayTaskError as error:
            raise SimulatorError(f"a Ray actor of the simulator failed: {error}") from None
        results[chunk.start : chunk.stop] = telemetry
        bar.update(len(telemetry))

    # -- lifetime --------------------------------------------------------------------------------

    def __reduce__(self) -> tuple:
        """Pickled (into an RLlib env config, a Ray task...), a simulator arrives as a view that plays on the
        same actors, so many processes share one pool; only the original stops them."""
        if self._closed:
            raise SimulatorError(f"cannot share a closed simulator ({CLOSED})")
        state = {name: getattr(self, name) for name in ("requests", "start_timeout", "chunk_levels")}
        state |= {"actor_class": self.actor_class, "actor_options": self._actor_options}
        state["actors"] = self._actors
        return type(self)._shared_view, (state,)

    @classmethod
    def _shared_view(cls, state: dict[str, Any]) -> RaySimulator:
        """What an unpickled simulator is: the original's actors, borrowed (actors it starts to replace dead
        ones are its own)."""
        view = cls.__new__(cls)
        view.requests, view.start_timeout = state["requests"], state["start_timeout"]
        view.chunk_levels, view._actor_options = state["chunk_levels"], state["actor_options"]
        view.owns_ray, view.levels_sent, view.actors_lost, view._closed = False, 0, 0, False
        view._actor_class = ray.remote(num_cpus=1)(state["actor_class"])
        view._actors, view._starting = list(state["actors"]), {}
        view._borrowed = set(view._actors)
        view.n_workers = len(view._actors)
        return view

    def close(self) -> None:
        """Stops every actor's JVM, then the actors (and Ray, if this simulator started it); a view made by
        unpickling (see :meth:`__reduce__`) leaves the actors it borrowed playing."""
        if self._closed:
            return
        self._closed = True
        playing = [actor for actor in self._actors if actor not in self._borrowed]
        starting = list(self._starting.values())
        self._actors, self._starting = [], {}
        if not ray.is_initialized():  # Ray was shut down first: its actors (and their JVMs) are gone with it
            return
        if playing:  # each stops its JVM (a replacement still starting has none yet)
            closing = [actor.close.remote() for actor in playing]
            ray.wait(closing, num_returns=len(closing), timeout=CLOSE_GRACE_SECONDS)
        for actor in [*playing, *starting]:
            with contextlib.suppress(Exception):
                ray.kill(actor)
        if self.owns_ray:
            ray.shutdown()
