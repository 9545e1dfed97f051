"""`Simulator`: a pool of persistent simulator JVMs that plays levels and returns their telemetry."""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import weakref
from collections.abc import Iterable, Sequence
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from typing import Any

from tqdm.auto import tqdm

from gym_mario_latent.errors import SimulatorError, SimulatorTimeoutError, WorkerExitedError
from gym_mario_latent.simulator_bridge.backend import LevelRequestsBackend, set_up_backend
from gym_mario_latent.simulator_bridge.level_input import Alphabet
from gym_mario_latent.simulator_bridge.level_requests import LevelRequests
from gym_mario_latent.simulator_bridge.one_level import play_in_window
from gym_mario_latent.simulator_bridge.padding import Padding
from gym_mario_latent.simulator_bridge.protocol import GameSettings
from gym_mario_latent.simulator_bridge.runtime import WORKER_JVM_OPTIONS
from gym_mario_latent.simulator_bridge.telemetry import Telemetry
from gym_mario_latent.simulator_bridge.worker import Worker

#: Plays of one level that may end with its worker dead; after that the level is taken to be what kills
#: the worker and comes back as an ``"error"`` telemetry.
MAX_PLAYS_PER_LEVEL = 3
#: Worker restarts a batch may use per level in it, when ``max_restarts`` is not given.
RESTARTS_PER_LEVEL = 2
CLOSED = "the simulator is closed"
CLOSED_WHILE_RUNNING = "the simulator was closed while the batch ran"


class _RestartBudget:
    """The worker restarts one batch may use after failures (shared by the threads playing its levels)."""

    def __init__(self, restarts: int) -> None:
        self.total = restarts
        self.spent = False  # a failure found no restart left: dead workers stay dead in this batch
        self._left = threading.Semaphore(restarts)

    def take(self) -> bool:
        """Uses one restart; False (and spent from then on) when none is left."""
        if self._left.acquire(blocking=False):
            return True
        self.spent = True
        return False

    def spent_reason(self, failure: object) -> str:
        spent = f"the batch's {self.total} worker restarts are spent"
        return f"no worker to play it: {spent} (last failure: {failure})"


def _stop_workers(workers: list[Worker | None]) -> None:
    """Stops every worker in `workers` (also run by the garbage collector and at exit)."""
    running = [worker for worker in workers if worker is not None]
    for worker in running:
        worker.end_input()
    for worker in running:
        worker.close()
    workers[:] = [None] * len(workers)


class Simulator(LevelRequestsBackend):
    """Plays Mario levels with the simulator's agents in persistent JVM workers.

    >>> with Simulator(workers=2) as simulator:
    ...     telemetry = simulator.evaluate(level)  # tile ids, tensor, text or rows
    ...     batch = simulator.evaluate_many(levels, progress=True)

    Levels are checked in Python (a bad level raises ``LevelFormatError``, a ``ValueError``) and
    padded with flat ground (see :class:`Padding`) before they are sent. Each worker is a JVM
    speaking simulator/PROTOCOL.md (it ends itself when this process is gone). A batch never loses
    finished results: a worker that dies (or fails to start) is replaced and its level re-run on the
    fresh one; a level that runs past ``wall_time_limit`` seconds gets its worker killed (and
    replaced) and a ``"timeout"`` telemetry with a ``reason``; a level that still cannot be played
    (its worker died on each of :data:`MAX_PLAYS_PER_LEVEL` plays, or the batch's restarts are
    spent) comes back as an ``"error"`` telemetry with a ``reason``, and every other level is played.
    :meth:`close` (or leaving the ``with`` block, or garbage collection, or interpreter exit) stops
    every JVM.

    Args:
        workers: JVMs to run side by side (an integer ≥ 1; default: the CPUs this process may use).
        settings: the game settings (:class:`GameSettings`); the fields given as keywords
            (``**game_settings``) replace its own. Without either, the simulator's defaults.
        alphabet: alphabet of level text passed in (``"vglc"`` or ``"mario-ai"``); tile ids are
            always the VAE alphabet.
        padding: a :class:`Padding`, True for the default one, False for none.
        wall_time_limit: wall-clock seconds a level may take before its worker is killed (> 0, or
            None: no cap).
        start_timeout: seconds a JVM may take to start and shake hands (> 0).
        max_restarts: worker restarts one batch (one :meth:`evaluate_many` or :meth:`evaluate` call)
            may use in all after failures: a worker that died while playing or a start that failed
            (an integer ≥ 0; default: :data:`RESTARTS_PER_LEVEL` per level of the batch). Once they
            are spent, the batch's levels that find their worker dead are errors; the next batch
            starts with a new budget.
        java: the ``java`` executable (default: :func:`find_java`; checked to run Java ≥ 17).
        jar: the simulator jar (default: the package's, built if needed).
        jvm_options: options for each worker JVM (a sequence of strings).
        **game_settings: fields of :class:`GameSettings` (``agent``, ``time_limit``, ``node_budget``,
            ``start_mode``, ``stall_limit``, ``trace``; ``time_limit`` is game time, deterministic),
            checked against the jar's facts.

    Raises:
        ValueError: an argument out of its range (the message names it and the range).
        JavaRuntimeError: `java` does not run Java ≥ 17.
        SimulatorError: the jar reported no facts, or the workers did not start.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        settings: GameSettings | None = None,
        alphabet: Alphabet = "vglc",
        padding: Padding | bool = True,
        wall_time_limit: float | None = 60.0,
        start_timeout: float = 60.0,
        max_restarts: int | None = None,
        java: str | os.PathLike | None = None,
        jar: str | os.PathLike | None = None,
        jvm_options: Sequence[str] = WORKER_JVM_OPTIONS,
        **game_settings: Any,
    ) -> None:
        set_up = set_up_backend("Simulator", locals())  # its arguments, before any other name is bound
        self.java, self.jar = set_up.java, set_up.jar
        facts = set_up.requests.facts
        #: levels in, requests out, replies in, telemetry out (the part another backend shares)
        self.requests = set_up.requests
        self.n_workers = int(workers) if workers is not None else os.process_cpu_count() or 1
        self.wall_time_limit = wall_time_limit
        self.start_timeout = start_timeout
        self.max_restarts = max_restarts
        self.jvm_options = tuple(jvm_options)
        self._lock = threading.Lock()
        self._closed = False
        self.levels_sent = 0  # requests written to workers, re-runs included
        self._workers: list[Worker | None] = [None] * self.n_workers
        self._finalizer = weakref.finalize(self, _stop_workers, self._workers)
        self._idle: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._executor = ThreadPoolExecutor(self.n_workers, thread_name_prefix="simulator-pool")
        try:
            for slot in range(self.n_workers):
                self._workers[slot] = Worker(self._command())
            for worker in self._workers:
                worker.wait_ready(self.start_timeout, facts)
        except BaseException:
            self.close()
            raise
        for slot in range(self.n_workers):
            self._idle.put(slot)

    # -- workers ---------------------------------------------------------------------------------

    def _command(self) -> list[str]:
        return [self.java, *self.jvm_options, "-cp", str(self.jar), "Main", "serve"]

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the running worker JVMs (those still starting up included)."""
        return [worker.pid for worker in self._workers if worker is not None and worker.alive]

    def _fresh_worker(self, slot: int) -> Worker:
        """Replaces the worker in `slot` with a newly started one."""
        with self._lock:
            if self._closed:
                raise SimulatorError(CLOSED_WHILE_RUNNING)
            old = self._workers[slot]
            if old is not None:
                old.kill()
                old.close(grace=0)
            worker = self._workers[slot] = Worker(self._command())
        worker.wait_ready(self.start_timeout, self.facts)
        return worker

    def _take_slot(self) -> int:
        while True:
            if self._closed:
                raise SimulatorError(CLOSED_WHILE_RUNNING)
            with contextlib.suppress(queue.Empty):
                return self._idle.get(timeout=0.5)

    # -- playing ---------------------------------------------------------------------------------

    def _budget(self, levels: int) -> _RestartBudget:
        restarts = self.max_restarts if self.max_restarts is not None else RESTARTS_PER_LEVEL * levels
        return _RestartBudget(restarts)

    def _play(self, text: str, budget: _RestartBudget, requests: LevelRequests | None = None) -> Telemetry:
        """Plays prepared level text on the next free worker, restarting dead workers within `budget`.

        Each failure (a worker that died while playing, a start that failed) uses a restart; a worker
        found dead when a level begins (killed while idle, or by the wall-time cap) is restarted
        without one, unless the batch's restarts are spent. ``requests``: the settings to play it with
        (default: ``self.requests``; another agent's, see :meth:`evaluate_many`).
        """
        requests = requests or self.requests
        slot = self._take_slot()
        try:
            plays_lost, failure = 0, "its worker died between levels"
            while True:
                worker = self._workers[slot]
                if worker is None or not worker.alive:
                    if budget.spent:
                        return requests.unplayed(text, "error", budget.spent_reason(failure))
                    try:
                        worker = self._fresh_worker(slot)
                    except (SimulatorError, OSError) as error:
                        if self._closed:
                            raise SimulatorError(CLOSED_WHILE_RUNNING) from error
                        failure = error  # a failed start: retried like a failed game
                        budget.take()
                        continue
                with self._lock:
                    self.levels_sent += 1
                try:
                    raw = worker.play(requests.fields(text), self.wall_time_limit)
                    return requests.telemetry(raw)
                except SimulatorTimeoutError as error:
                    return requests.unplayed(text, "timeout", str(error))
                except WorkerExitedError as error:
                    if self._closed:
                        raise SimulatorError(CLOSED_WHILE_RUNNING) from error
                    plays_lost, failure = plays_lost + 1, error
                    if plays_lost == MAX_PLAYS_PER_LEVEL:
                        reason = f"its worker died each of the {plays_lost} times it played it"
                        return requests.unplayed(text, "error", f"{reason} (last: {error})")
                    budget.take()
        finally:
            self._idle.put(slot)

    def evaluate(self, level: Any, visualize: bool = False) -> Telemetry:
        """Plays one level; `visualize` shows the agent in a window (see :meth:`play`)."""
        if visualize:
            return self.play(level, visualize=True)
        if self._closed:
            raise SimulatorError(CLOSED)
        return self._play(self.requests.prepare(level), self._budget(1))

    def evaluate_many(
        self,
        levels: Iterable[Any] | Any,
        progress: bool = False,
        agents: Sequence[str | None] | None = None,
    ) -> list[Telemetry]:
        """Plays every level, in parallel over the workers; results in the order of `levels`.

        Args:
            levels: an iterable of levels, or a (batch, rows, columns) array/tensor of tile ids.
            progress: show a tqdm progress bar.
            agents: who plays each level (one agent name per level, None for the settings' agent), so
                several personas play in one batch on the same workers (default: the settings' agent).

        Returns:
            One telemetry per level; a level that could not be played has status ``"error"`` and a
            ``reason`` (see the class docstring), a batch never fails for a dead worker.

        Raises:
            LevelFormatError: a bad level (checked for all levels before any is played).
            ValueError: ``agents`` of another length than the batch, or an unknown agent.
            SimulatorError: the simulator was closed before or while the batch ran.
        """
        return self.evaluate_texts(self.requests.prepare_many(levels), progress, agents)

    def evaluate_texts(
        self, texts: Sequence[str], progress: bool = False, agents: Sequence[str | None] | None = None
    ) -> list[Telemetry]:
        """:meth:`evaluate_many` of level texts already prepared by ``self.requests`` (checked and padded):
        what another backend's worker (a Ray actor) plays."""
        per_level = self.requests.per_level(agents, len(texts))
        budget = self._budget(len(texts))
        try:
            futures: list[Future[Telemetry]] = [
                self._executor.submit(self._play, text, budget, requests)
                for text, requests in zip(texts, per_level, strict=True)
            ]
        except RuntimeError:  # the executor is shut down
            raise SimulatorError(CLOSED) from None
        with tqdm(total=len(futures), disable=not progress, desc="levels", unit="level") as bar:
            for future in futures:
                future.add_done_callback(lambda _: bar.update())
            try:
                return [future.result() for future in futures]
            except CancelledError:
                raise SimulatorError(CLOSED_WHILE_RUNNING) from None
            finally:
                for future in futures:
                    future.cancel()

    def play(self, level: Any, visualize: bool = False, time_limit: float | None = None) -> Telemetry:
        """Opens a window on the level for you to play at the keyboard (arrows move, `s` jumps, `a`
        runs and fires), or, with ``visualize=True``, to watch the agent play it. Needs a display.

        Args:
            level: a level in any form :meth:`evaluate` takes.
            visualize: show the simulator's agent instead of reading the keyboard.
            time_limit: game seconds (default: the simulator's ``time_limit`` for the agent, 300 for a
                person, who also gets no stall limit).

        Raises:
            SimulatorError: no display (use ``xvfb-run`` on a headless machine) or the JVM failed.
        """
        return play_in_window(level, self.requests, visualize, time_limit, self.java, self.jar)

    # -- lifetime --------------------------------------------------------------------------------

    def close(self) -> None:
        """Stops every worker JVM (each finishes its current level or is killed) and the threads."""
        with self._lock:
            self._closed = True
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._finalizer()
        self._executor.shutdown(wait=True)
