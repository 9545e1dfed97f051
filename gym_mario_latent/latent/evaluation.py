"""From latents to telemetry: decode with a generator, play with the simulator's agents, cache by content.

:class:`LatentEvaluator` is the one place that joins a level generator (the VAE, the GAN or yours: see
:mod:`~gym_mario_latent.latent.generators`) and the simulator; the latent envs (single and vector) and the
batch API for optimisers (:meth:`LatentEvaluator.evaluate_latents`) all go through it.

**Scenes.** With ``scene_segments=k`` a latent of the evaluator is k latents of the generator side by side:
a vector of ``k * generator.z_dim`` numbers whose i-th block of ``generator.z_dim`` makes the i-th segment
from the left, and the scene (what is played, measured and rewarded) is the k segments concatenated left
to right, ``(rows, k * columns)`` (MarioGAN-LSI's 56-column scenes: k = 2 with the 14×28 GAN).

**Alphabets.** Scenes are measured, rewarded, observed and drawn as VAE tile ids
(:meth:`LatentEvaluator.decode`), but played as the generator made them (:meth:`LatentEvaluator.played`): a
``"mario-ai"`` generator's scene is sent as Mario AI Framework text, so its koopas, spikies and cannons play
as such, not as the VAE's goombas and ground.
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
from gym_mario_latent.latent.generators import (
    Generator,
    generate_scenes,
    join_segments,
    load_generator,
    vae_ids,
)
from gym_mario_latent.latent.qd_measures import check_measure_names, measure_bounds, measure_values
from gym_mario_latent.latent.rewards import RewardFunction, reward_function, reward_parts
from gym_mario_latent.levels import alphabet_ids_to_text
from gym_mario_latent.simulator_bridge import Simulator, SimulatorBackend, Telemetry
from gym_mario_latent.vae import MarioVAE

DEFAULT_CACHE_SIZE = 10_000
#: Latents drawn at once by :meth:`LatentEvaluator.sample_playable`, and the most it draws by default.
PLAYABLE_SAMPLING_BATCH = 256
PLAYABLE_SAMPLING_MAX_DRAWS = 100_000


@contextlib.contextmanager
def _one_cpu_thread(device: torch.device | str) -> Iterator[None]:
    """Run torch on one CPU thread for the block: the simulator's JVMs keep the cores busy, and torch's
    spinning worker threads then make a decode ~10x slower (measured: 15 ms vs 1.6 ms for 8 latents)."""
    if torch.device(device).type != "cpu":
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
    """What :meth:`LatentEvaluator.evaluate_latents` found for a batch of n latents (played by one agent).

    Attributes:
        z: the latents evaluated, (n, z_dim) float32 (z_dim: the evaluator's, k × the generator's).
        segments: their levels (scenes), VAE tile ids (n, rows, columns): the evaluator's ``scene_shape``.
        objective: the objective of each, (n,).
        measures: the measures of each, (n, len(measure_names)).
        measure_names: the measures' names, in column order.
        telemetry: the agent's game on each level.
        agent: who played (the simulator's agent name).
    """

    z: np.ndarray
    segments: np.ndarray
    objective: np.ndarray
    measures: np.ndarray
    measure_names: tuple[str, ...]
    telemetry: list[Telemetry]
    agent: str


class LatentEvaluator:
    """Turns latents into levels with a :class:`~gym_mario_latent.latent.Generator` and lets the
    simulator's agents play them, remembering the telemetry of every level it played (a bounded LRU cache
    keyed by the tiles, the agent and the game settings), so a level made twice is played once. Games the
    bridge cut short (a wall-time ``timeout`` or an ``error``, with a ``reason``) are not remembered.

    Levels are kept, measured and rewarded as VAE tile ids: a generator of the Mario AI Framework's alphabet
    is converted by :mod:`gym_mario_latent.levels` (every enemy a goomba, every solid block ground). They are
    played as the generator made them (see :meth:`played`): a ``"mario-ai"`` generator's as Mario AI text, on
    a simulator that reads that alphabet (the owned one does; a shared one must be started with
    ``alphabet="mario-ai"``, else ``ValueError``).

    Args:
        checkpoint: the VAE shortcut: a shipped name (``"pretrained"``, ``"pretrained-32"``), a checkpoint
            path, or a :class:`MarioVAE` (default, with no ``generator``: ``"pretrained"``).
        simulator: a :class:`Simulator` or :class:`RaySimulator` (any :class:`SimulatorBackend`, else
            ``TypeError``) to share (never closed here, and shared by copies); by default the evaluator
            starts and owns one with ``workers`` JVMs and the game settings below (a copy starts its own).
        generator: any :class:`~gym_mario_latent.latent.Generator` (a model, a ``FunctionGenerator``, your
            object), a shipped name (``"vae"``, ``"vae-32"``, ``"gan"``) or a GAN checkpoint path; not with
            ``checkpoint`` (see :func:`~gym_mario_latent.latent.generators.load_generator`).
        scene_segments: k, the segments side by side in one scene (see the module docstring; default 1).
        agent, node_budget, time_limit, trace: game settings of the owned simulator (its defaults when
            None; ``trace=True`` records the agent's path in the telemetry); with a shared ``simulator``
            set them there instead. The owned simulator reads the generator's alphabet.
        workers: JVM workers of the owned simulator (default: the CPUs).
        cache_size: levels remembered (0: no cache).
        device: where a model loaded here runs.
    """

    def __init__(
        self,
        checkpoint: str | Path | MarioVAE | None = None,
        simulator: SimulatorBackend | None = None,
        *,
        generator: Generator | str | Path | None = None,
        scene_segments: int = 1,
        agent: str | None = None,
        node_budget: int | None = None,
        time_limit: float | None = None,
        trace: bool | None = None,
        workers: int | None = None,
        cache_size: int = DEFAULT_CACHE_SIZE,
        device: str | torch.device = "cpu",
    ) -> None:
        if not isinstance(cache_size, int) or cache_size < 0:
            raise ValueError(f"cache_size must be an integer ≥ 0; got {cache_size!r}")
        if isinstance(scene_segments, bool) or not isinstance(scene_segments, int) or scene_segments < 1:
            raise ValueError(f"scene_segments must be a positive integer; got {scene_segments!r}")
        settings = {
            name: value
            for name, value in (
                ("agent", agent),
                ("node_budget", node_budget),
                ("time_limit", time_limit),
                ("trace", trace),
            )
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
        #: makes the segments: (n, generator.z_dim) → (n, rows, columns) tile ids of its alphabet
        self.generator = load_generator(generator, checkpoint, device)
        mario_ai = self.generator.alphabet == "mario-ai"
        if simulator is not None and mario_ai and simulator.alphabet != "mario-ai":
            raise ValueError(
                "a generator of the mario-ai alphabet is played as Mario AI text: share a simulator started "
                f'with alphabet="mario-ai"; this one reads {simulator.alphabet!r}'
            )
        self.scene_segments = scene_segments
        #: the size of one latent of the evaluator (and of the envs' actions): k × the generator's
        self.z_dim = scene_segments * int(self.generator.z_dim)
        rows, columns = (int(n) for n in self.generator.shape)
        #: (rows, columns) of a scene: k segments side by side
        self.scene_shape = (rows, scene_segments * columns)
        self.cache_size = cache_size
        self.cache_hits = 0
        self.cache_misses = 0
        self._cache: OrderedDict[tuple, Telemetry] = OrderedDict()
        self.owns_simulator = simulator is None
        self.closed = False
        #: how the owned simulator was started, so a copy can start its own (see :meth:`__deepcopy__`)
        self._simulator_arguments = {"workers": workers, "alphabet": self.generator.alphabet, **settings}
        self.simulator = simulator if simulator is not None else Simulator(**self._simulator_arguments)
        self._settings_key = (self.simulator.settings, self.simulator.padding, self.simulator.alphabet)

    # -- decoding --------------------------------------------------------------------------------------

    def decode(self, z: np.ndarray, generators: Sequence[torch.Generator] | None = None) -> np.ndarray:
        """Scenes (n, *scene_shape), VAE tile ids, of latents (n, z_dim): :meth:`generate`'s scenes, each
        converted to VAE tiles (see :meth:`vae_ids`)."""
        return self.vae_ids(self.generate(z, generators))

    def vae_ids(self, scenes: np.ndarray) -> np.ndarray:
        """Scenes (n, rows, columns) of the generator's alphabet as VAE tile ids (each scene converted
        whole, as it is played)."""
        return vae_ids(scenes, self.generator.alphabet)

    def played(self, scene: np.ndarray) -> np.ndarray | str:
        """What the simulator plays for a scene (rows, columns) of the generator's alphabet (a scene of
        :meth:`generate`, or several side by side): its VAE tile ids as they are, or, for a ``"mario-ai"``
        generator, its Mario AI text (koopas stay koopas)."""
        if self.generator.alphabet == "vglc":
            return scene
        return alphabet_ids_to_text(scene, self.generator.alphabet)

    def generate(self, z: np.ndarray, generators: Sequence[torch.Generator] | None = None) -> np.ndarray:
        """Scenes (n, *scene_shape), tile ids of the generator's alphabet, of latents (n, z_dim) in one call
        of the generator: the most likely tiles, or (the VAE only) tiles drawn from p(x|z) with one torch
        generator per latent when ``generators`` are given.

        Raises:
            ValueError: ``generators`` with a generator that does not sample (not a MarioVAE).
            LevelFormatError: the generator made levels of another shape, dtype or alphabet than it promised.
        """
        self.check_open()
        z = np.ascontiguousarray(z, dtype=np.float32)
        k = self.scene_segments
        with torch.no_grad(), _one_cpu_thread(getattr(self.generator, "device", "cpu")):
            if generators is None:
                return generate_scenes(self.generator, z, k)
            self.check_samples()
            one_per_segment = [generator for generator in generators for _ in range(k)]
            levels = self.generator.decode_levels(
                torch.from_numpy(z.reshape(len(z) * k, -1)), sample=True, generators=one_per_segment
            )
        return join_segments(levels, self.generator, len(z), k)

    def check_samples(self) -> None:
        """Raises ``ValueError`` unless the generator can draw tiles from p(x|z) (``decode="sample"``)."""
        if not isinstance(self.generator, MarioVAE):
            raise ValueError(
                f'decode="sample" needs a generator that samples tiles (a MarioVAE); '
                f'{type(self.generator).__name__} makes one level per latent: use decode="argmax"'
            )

    def measure_bounds(self, measures: Sequence[str] = DEFAULT_MEASURES) -> list[tuple[float, float]]:
        """The usual ranges of ``measures`` on this evaluator's scenes (counts of tiles and of the agent's
        deeds scale with the scene's width: see :func:`.qd_measures.measure_bounds`)."""
        return measure_bounds(measures, columns=self.scene_shape[1])

    # -- playing ---------------------------------------------------------------------------------------

    def _key(self, level: np.ndarray | str, agent: str | None) -> tuple:
        agent = agent or self.simulator.settings.agent
        if isinstance(level, str):
            return (self._settings_key, agent, level)
        return (self._settings_key, agent, level.shape, level.astype(np.uint8).tobytes())

    def play(
        self, levels: Sequence[np.ndarray | str], agents: Sequence[str | None] | None = None
    ) -> list[Telemetry]:
        """The agent's telemetry on each level (VAE tile ids, or level text of the simulator's alphabet:
        see :meth:`played`), in order: levels not in the cache are played in one ``evaluate_many`` (each
        distinct level once), the others come from the cache. ``agents`` names who plays each level (one
        per level; None: the simulator's agent)."""
        self.check_open()
        agents = list(agents) if agents is not None else [None] * len(levels)
        if len(agents) != len(levels):
            raise ValueError(f"agents must name one agent per level ({len(levels)}); got {len(agents)}")
        levels = [level if isinstance(level, str) else np.asarray(level) for level in levels]
        keys = [self._key(level, agent) for level, agent in zip(levels, agents, strict=True)]
        found: dict[tuple, Telemetry] = {}
        missing: dict[tuple, tuple[np.ndarray | str, str | None]] = {}
        for key, level, agent in zip(keys, levels, agents, strict=True):
            if key in self._cache:
                self._cache.move_to_end(key)
                found[key] = self._cache[key]
            elif key not in missing:
                missing[key] = (level, agent)
        self.cache_misses += len(missing)
        self.cache_hits += len(keys) - len(missing)
        if missing:
            to_play = list(missing.values())
            who = [agent for _, agent in to_play]
            played = self.simulator.evaluate_many(
                [level for level, _ in to_play], agents=who if any(who) else None
            )
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
        agents: Sequence[str] | None = None,
    ) -> LatentBatch | dict[str, LatentBatch]:
        """Make the level of every latent of a batch (most likely tiles), play it, and score it.

        Args:
            z: latents (n, z_dim) (or one latent (z_dim,)): a NumPy array, list or tensor.
            objective: a reward preset name (see :mod:`~gym_mario_latent.latent.rewards`) or a callable
                ``(telemetry, segment, history) -> float``, applied with an empty history.
            measures: names from :data:`~gym_mario_latent.latent.qd_measures.MEASURES`.
            bound: clip every component to [-bound, bound] first (None: no clipping).
            agents: the agents (personas) to play every level, e.g. ``["runner", "killer", "collector"]``:
                all their games go to the simulator in one batch.

        Returns:
            Without ``agents``: one :class:`LatentBatch` (the simulator's agent). With ``agents``: a dict
            agent name → :class:`LatentBatch`, in the order given, sharing ``z`` and ``segments``.

        Raises:
            ValueError: a latent of the wrong shape or with a NaN/infinite component; an unknown measure or
                agent; an empty or repeated agent list.
        """
        names = check_measure_names(measures)
        score = reward_function(objective)
        z = checked_latents(z, self.z_dim, bound)
        if agents is not None and (isinstance(agents, str) or not agents or len(set(agents)) != len(agents)):
            raise ValueError(f"agents must be a non-empty list of distinct agent names; got {agents!r}")
        scenes = self.generate(z)
        segments = self.vae_ids(scenes)
        played = [self.played(scene) for scene in scenes]
        who = list(agents) if agents is not None else [None]
        games = self.play([level for _ in who for level in played], [a for a in who for _ in played])
        batches = {}
        for index, agent in enumerate(who):
            telemetry = games[index * len(z) : (index + 1) * len(z)]
            objectives = [
                sum(reward_parts(score, result, segment, ()).values())
                for result, segment in zip(telemetry, segments, strict=True)
            ]
            values = [
                measure_values(names, result, segment)
                for result, segment in zip(telemetry, segments, strict=True)
            ]
            batches[agent] = LatentBatch(
                z=z,
                segments=segments,
                objective=np.asarray(objectives, dtype=np.float64),
                measures=np.asarray(values, dtype=np.float64).reshape(len(z), len(names)),
                measure_names=names,
                telemetry=telemetry,
                agent=agent or self.simulator.settings.agent,
            )
        return batches if agents is not None else batches[None]

    def sample_playable(
        self,
        n: int,
        *,
        seed: int | np.random.Generator | None = None,
        max_draws: int = PLAYABLE_SAMPLING_MAX_DRAWS,
        objective: str | RewardFunction = "completion",
        measures: Sequence[str] = DEFAULT_MEASURES,
    ) -> LatentBatch:
        """`n` levels the agent wins, drawn from the prior N(0, I) by rejection: latents are drawn in
        batches of :data:`PLAYABLE_SAMPLING_BATCH`, made into levels (most likely tiles) and played, and the
        first `n` won are kept, in the order drawn. Every returned level was played by this evaluator's
        simulator and won (the agent is deterministic, so it wins it again); ``cache_misses`` grows by the
        games it cost.

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
            telemetry = self.play([self.played(scene) for scene in self.generate(z)])
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
    generator: Generator | str | Path | None = None,
    simulator: SimulatorBackend | None = None,
    bound: float | None = None,
    agents: Sequence[str] | None = None,
    **evaluator_options: Any,
) -> LatentBatch | dict[str, LatentBatch]:
    """One-off :meth:`LatentEvaluator.evaluate_latents` (a temporary evaluator; for many batches, keep a
    :class:`LatentEvaluator` or an env and call its method, so workers and the cache live on).
    ``evaluator_options``: the other arguments of :class:`LatentEvaluator` (``scene_segments``, ``workers``,
    ``node_budget``...)."""
    with LatentEvaluator(checkpoint, simulator, generator=generator, **evaluator_options) as evaluator:
        return evaluator.evaluate_latents(z, objective, measures, bound, agents)
