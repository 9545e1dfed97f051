"""From latents to telemetry: decode with the VAE, play with the simulator's agent, cache by content.

:class:`LatentEvaluator` is the one place that joins the VAE and the simulator; the latent envs (single and
vector) and the batch API for optimisers (:meth:`LatentEvaluator.evaluate_latents`) all go through it.
"""

from __future__ import annotations

import contextlib
import copy
import numbers
import reprlib
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from gym_mario_latent.errors import EnvClosedError, NoPlayableLevelError
from gym_mario_latent.latent.qd_measures import check_measure_names, measure_values
from gym_mario_latent.latent.rewards import RewardFunction, reward_function, reward_parts
from gym_mario_latent.simulator_bridge import Simulator, SimulatorBackend, Telemetry
from gym_mario_latent.vae import MarioVAE, load_vae

DEFAULT_CACHE_SIZE = 10_000
#: Latents drawn at once by :meth:`LatentEvaluator.sample_playable`, and the most it draws by default.
PLAYABLE_SAMPLING_BATCH = 256
PLAYABLE_SAMPLING_MAX_DRAWS = 100_000


@contextlib.contextmanager
def _one_cpu_thread(device: torch.device) -> Iterator[None]:
    """Run torch on one CPU thread for the block: the simulator's JVMs keep the cores busy, and torch's
    spinning worker threads then make a decode ~10x slower (measured: 15 ms vs 1.6 ms for 8 latents)."""
    if device.type != "cpu":
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


DEFAULT_MEASURES = ("sky_tiles", "enemies")


def copied_except[T](source: T, memo: dict[int, Any], **replacements: Any) -> T:
    """A deep copy of ``source`` (for its ``__deepcopy__``), but with the attributes named in
    ``replacements`` set to those values instead of copies (a handle on processes, a window)."""
    twin = object.__new__(type(source))
    memo[id(source)] = twin
    for name, value in vars(source).items():
        setattr(twin, name, replacements[name] if name in replacements else copy.deepcopy(value, memo))
    return twin


#: What NumPy calls the kinds of array that are not real numbers, for messages.
_NOT_REAL_KINDS = {"b": "booleans", "c": "complex numbers", "U": "strings", "S": "bytes", "M": "dates"}


def _real_array(z: Any, what: str) -> np.ndarray:
    """``z`` (an array, tensor, or nested sequence) as a float32 array, if it holds only real numbers.

    Raises:
        ValueError: a boolean, complex number, string or other object in ``z`` (named), or a ragged nesting.
    """
    if isinstance(z, torch.Tensor):  # float ones as float32 (NumPy has no bfloat16)
        z = z.detach().cpu()
        z = (z.float() if z.is_floating_point() else z).numpy()
    array = z if isinstance(z, np.ndarray) else np.asarray(z, dtype=object)
    if array.dtype.kind in _NOT_REAL_KINDS:
        found = _NOT_REAL_KINDS[array.dtype.kind]
    else:
        wrong = [
            value
            for value in (array.flat if array.dtype == object else ())
            if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real)
        ]
        found = f"{wrong[0]!r} (a {type(wrong[0]).__name__})" if wrong else None
    if found is not None:
        raise ValueError(f"{what} {reprlib.repr(z)} holds {found}: expected real numbers (floats, integers)")
    try:
        return array.astype(np.float32)
    except OverflowError as error:
        raise ValueError(f"{what} {reprlib.repr(z)} holds a number too large for float32: {error}") from None


def checked_latents(
    z: Any, z_dim: int, bound: float | None = None, what: str = "latent", shape: tuple[int, ...] | None = None
) -> np.ndarray:
    """``z`` as a float32 array (n, z_dim), clipped to [-bound, bound] when a bound is given: the one check
    of latents, for the batch API and the actions of the single and the vector env.

    Accepts one latent (z_dim,) or a batch (n, z_dim), or exactly ``shape`` when it is given.

    Raises:
        ValueError: another shape, something that is not a real number, or a NaN/infinite component (named).
    """
    array = _real_array(z, what)
    if shape is None:
        expected = f"shape ({z_dim},) or be a batch (n, {z_dim})"
        wrong_shape = array.ndim not in (1, 2) or array.shape[-1] != z_dim
    else:
        expected, wrong_shape = f"shape {shape}", array.shape != shape
    if wrong_shape:
        raise ValueError(f"{what} must have {expected}; got shape {array.shape}")
    array = array.reshape(-1, z_dim)
    bad = np.argwhere(~np.isfinite(array))
    if len(bad):
        row, column = bad[0]
        where = f"component {column}" + (f" of row {row}" if len(array) > 1 else "")
        raise ValueError(f"{what} {where} is {array[row, column]}: every component must be finite")
    return np.clip(array, -bound, bound) if bound is not None else array


@dataclass(frozen=True)
class LatentBatch:
    """What :meth:`LatentEvaluator.evaluate_latents` found for a batch of n latents.

    Attributes:
        z: the latents evaluated, (n, z_dim) float32.
        segments: their decoded segments, tile ids (n, 14, 14).
        objective: the objective of each, (n,).
        measures: the measures of each, (n, len(measure_names)).
        measure_names: the measures' names, in column order.
        telemetry: the agent's game on each segment.
    """

    z: np.ndarray
    segments: np.ndarray
    objective: np.ndarray
    measures: np.ndarray
    measure_names: tuple[str, ...]
    telemetry: list[Telemetry]


class LatentEvaluator:
    """Decodes latents into level segments with a MarioVAE and lets the simulator's agent play levels,
    remembering the telemetry of every level it played (a bounded LRU cache keyed by the tiles and the
    game settings), so a level decoded twice is played once. Games the bridge cut short (a wall-time
    ``timeout`` or an ``error``, with a ``reason``) are not remembered.

    Args:
        checkpoint: the VAE: a shipped name (``"pretrained"``, ``"pretrained-32"``), a checkpoint path, or a
            :class:`MarioVAE` (default: ``"pretrained"``).
        simulator: a :class:`Simulator` or :class:`RaySimulator` (any :class:`SimulatorBackend`, else
            ``TypeError``) to share (never closed here, and shared by copies); by default the evaluator
            starts and owns one with ``workers`` JVMs and the game settings below (a copy starts its own).
        agent, node_budget, time_limit: game settings of the owned simulator (its defaults when None);
            with a shared ``simulator`` set them there instead.
        workers: JVM workers of the owned simulator (default: the CPUs).
        cache_size: levels remembered (0: no cache).
        device: where the VAE runs.
    """

    def __init__(
        self,
        checkpoint: str | Path | MarioVAE | None = None,
        simulator: SimulatorBackend | None = None,
        *,
        agent: str | None = None,
        node_budget: int | None = None,
        time_limit: float | None = None,
        workers: int | None = None,
        cache_size: int = DEFAULT_CACHE_SIZE,
        device: str | torch.device = "cpu",
    ) -> None:
        if not isinstance(cache_size, int) or cache_size < 0:
            raise ValueError(f"cache_size must be an integer ≥ 0; got {cache_size!r}")
        settings = {
            name: value
            for name, value in (("agent", agent), ("node_budget", node_budget), ("time_limit", time_limit))
            if value is not None
        }
        if simulator is not None and not isinstance(simulator, SimulatorBackend):
            raise TypeError(
                f"simulator must be a SimulatorBackend (a Simulator or a RaySimulator of "
                f"gym_mario_latent.simulator_bridge, started), or None for the env's own; got {simulator!r}"
            )
        if simulator is not None and settings:
            raise ValueError(
                f"game settings {sorted(settings)} cannot be given with a shared simulator: "
                "set them on the Simulator you pass"
            )
        self.model = load_vae(checkpoint, device=device).eval()
        self.z_dim = self.model.z_dim
        self.cache_size = cache_size
        self.cache_hits = 0
        self.cache_misses = 0
        self._cache: OrderedDict[tuple, Telemetry] = OrderedDict()
        self.owns_simulator = simulator is None
        self.closed = False
        #: how the owned simulator was started, so a copy can start its own (see :meth:`__deepcopy__`)
        self._simulator_arguments = {"workers": workers, **settings}
        self.simulator = simulator if simulator is not None else Simulator(**self._simulator_arguments)
        self._settings_key = (self.simulator.settings, self.simulator.padding, self.simulator.alphabet)

    # -- decoding --------------------------------------------------------------------------------------

    def decode(self, z: np.ndarray, generators: Sequence[torch.Generator] | None = None) -> np.ndarray:
        """Segments (n, 14, 14) of latents (n, z_dim) in one forward pass: the most likely tiles, or tiles
        drawn from p(x|z) with one generator per latent when ``generators`` are given."""
        self.check_open()
        with torch.no_grad(), _one_cpu_thread(self.model.device):
            tiles = self.model.decode_levels(
                torch.from_numpy(np.ascontiguousarray(z, dtype=np.float32)),
                sample=generators is not None,
                generators=generators,
            )
        return tiles.cpu().numpy()

    # -- playing ---------------------------------------------------------------------------------------

    def _key(self, level: np.ndarray) -> tuple:
        return (self._settings_key, level.shape, level.astype(np.uint8).tobytes())

    def play(self, levels: Sequence[np.ndarray]) -> list[Telemetry]:
        """The agent's telemetry on each level (tile ids), in order: levels not in the cache are played in
        one ``evaluate_many`` (each distinct level once), the others come from the cache."""
        self.check_open()
        keys = [self._key(np.asarray(level)) for level in levels]
        found: dict[tuple, Telemetry] = {}
        missing: dict[tuple, np.ndarray] = {}
        for key, level in zip(keys, levels, strict=True):
            if key in self._cache:
                self._cache.move_to_end(key)
                found[key] = self._cache[key]
            elif key not in missing:
                missing[key] = np.asarray(level)
        self.cache_misses += len(missing)
        self.cache_hits += len(keys) - len(missing)
        if missing:
            played = self.simulator.evaluate_many(list(missing.values()))
            for key, telemetry in zip(missing, played, strict=True):
                found[key] = telemetry
                self._remember(key, telemetry)
        return [found[key] for key in keys]

    def _remember(self, key: tuple, telemetry: Telemetry) -> None:
        # a game the bridge ended (wall-time cap, dead workers: ``reason`` says why) depends on the machine,
        # not on the level: play it again next time
        if self.cache_size == 0 or telemetry.reason is not None:
            return
        self._cache[key] = telemetry
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    # -- the batch API ---------------------------------------------------------------------------------

    def evaluate_latents(
        self,
        z: Any,
        objective: str | RewardFunction = "completion",
        measures: Sequence[str] = DEFAULT_MEASURES,
        bound: float | None = None,
    ) -> LatentBatch:
        """Decode a batch of latents (most likely tiles), play every segment, and score it.

        Args:
            z: latents (n, z_dim) (or one latent (z_dim,)): a NumPy array, list or tensor.
            objective: a reward preset name (see :mod:`~gym_mario_latent.latent.rewards`) or a callable
                ``(telemetry, segment, history) -> float``, applied with an empty history.
            measures: names from :data:`~gym_mario_latent.latent.qd_measures.MEASURES`.
            bound: clip every component to [-bound, bound] first (None: no clipping).

        Raises:
            ValueError: a latent of the wrong shape or with a NaN/infinite component; an unknown measure.
        """
        names = check_measure_names(measures)
        score = reward_function(objective)
        z = checked_latents(z, self.z_dim, bound)
        segments = self.decode(z)
        telemetry = self.play(list(segments))
        objectives = [
            sum(reward_parts(score, result, segment, ()).values())
            for result, segment in zip(telemetry, segments, strict=True)
        ]
        values = [
            measure_values(names, result, segment)
            for result, segment in zip(telemetry, segments, strict=True)
        ]
        return LatentBatch(
            z=z,
            segments=segments,
            objective=np.asarray(objectives, dtype=np.float64),
            measures=np.asarray(values, dtype=np.float64).reshape(len(z), len(names)),
            measure_names=names,
            telemetry=telemetry,
        )

    def sample_playable(
        self,
        n: int,
        *,
        seed: int | np.random.Generator | None = None,
        max_draws: int = PLAYABLE_SAMPLING_MAX_DRAWS,
        objective: str | RewardFunction = "completion",
        measures: Sequence[str] = DEFAULT_MEASURES,
    ) -> LatentBatch:
        """`n` levels the agent wins, drawn from the prior N(0, I) by rejection: latents are drawn in batches
        of :data:`PLAYABLE_SAMPLING_BATCH`, decoded (most likely tiles) and played, and the first `n` won
        are kept, in the order drawn. Every returned segment was played by this evaluator's simulator and won
        (the agent is deterministic, so it wins it again); ``cache_misses`` grows by the games it cost.

        Args:
            n: how many playable levels.
            seed: seed or NumPy generator of the draws (None: fresh entropy).
            max_draws: the most latents drawn before giving up.
            objective, measures: as :meth:`evaluate_latents`, for the returned batch.

        Raises:
            ValueError: `n` or `max_draws` not a positive integer.
            NoPlayableLevelError: fewer than `n` playable among `max_draws` latents.
        """
        for name, value in (("n", n), ("max_draws", max_draws)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
                raise ValueError(f"{name} must be a positive integer; got {value!r}")
        rng = np.random.default_rng(seed)
        kept: list[np.ndarray] = []
        drawn = 0
        while len(kept) < n and drawn < max_draws:
            z = rng.standard_normal((min(PLAYABLE_SAMPLING_BATCH, max_draws - drawn), self.z_dim))
            drawn += len(z)
            telemetry = self.play(list(self.decode(z)))
            kept.extend(latent for latent, game in zip(z, telemetry, strict=True) if game.won)
        if len(kept) < n:
            raise NoPlayableLevelError(
                f"only {len(kept)} of {drawn} latents drawn from the prior decode to levels the agent wins; "
                f"{n} were asked for: raise max_draws or ask for fewer"
            )
        return self.evaluate_latents(np.stack(kept[:n]), objective, measures)

    # -- lifetime --------------------------------------------------------------------------------------

    def check_open(self, owner: str = "LatentEvaluator") -> None:
        """Raises :class:`EnvClosedError` (naming ``owner``, the evaluator's env) once :meth:`close` ran:
        a closed evaluator neither plays nor answers from its cache."""
        if self.closed:
            raise EnvClosedError(f"this {owner} is closed: make a new one")

    def close(self) -> None:
        """Stops the simulator if this evaluator started it (a shared one keeps running); from then on the
        evaluator refuses work. Closing twice is fine."""
        self.closed = True
        if self.owns_simulator:
            self.simulator.close()

    def __deepcopy__(self, memo: dict[int, Any]) -> LatentEvaluator:
        """A copy with its own VAE, cache and counters. A simulator the evaluator started is not shared (a
        copy closed would stop the original's): an open copy starts its own with the same arguments. A
        simulator the user passed is shared, as the user shares it."""
        own_new = self.owns_simulator and not self.closed
        return copied_except(
            self, memo, simulator=Simulator(**self._simulator_arguments) if own_new else self.simulator
        )

    def __enter__(self) -> LatentEvaluator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def evaluate_latents(
    z: Any,
    objective: str | RewardFunction = "completion",
    measures: Sequence[str] = DEFAULT_MEASURES,
    *,
    checkpoint: str | Path | MarioVAE | None = None,
    simulator: SimulatorBackend | None = None,
    bound: float | None = None,
    **evaluator_options: Any,
) -> LatentBatch:
    """One-off :meth:`LatentEvaluator.evaluate_latents` (a temporary evaluator; for many batches, keep a
    :class:`LatentEvaluator` or an env and call its method, so workers and the cache live on)."""
    with LatentEvaluator(checkpoint, simulator, **evaluator_options) as evaluator:
        return evaluator.evaluate_latents(z, objective, measures, bound)
