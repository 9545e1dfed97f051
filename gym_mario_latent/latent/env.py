"""The latent-level env: each action is a latent z of a level generator (the VAE by default, the GAN or
yours); the segment it makes is appended to the level and the simulator's A* agent plays it; the reward comes
from the agent's telemetry.

Two IDs, one class: ``MarioLatent-v0`` (the black-box setting: one segment per episode) and
``MarioLatentLevel-v0`` (the designer setting: an episode builds a level segment by segment).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import gymnasium as gym
import numpy as np
import torch
from gymnasium.spaces import Box, Dict

from gym_mario_latent.latent.evaluation import (
    DEFAULT_CACHE_SIZE,
    DEFAULT_MEASURES,
    LatentBatch,
    LatentEvaluator,
    checked_latents,
    copied_except,
)
from gym_mario_latent.latent.generators import Generator
from gym_mario_latent.latent.rewards import (
    RewardFunction,
    needs_traces,
    reward_function,
    reward_parts,
    segment_trace,
)
from gym_mario_latent.levels import EMPTY_ID, N_TILES, draw_trace, render_pixels
from gym_mario_latent.levels.render import ART_SIZE
from gym_mario_latent.levels.trace import OUTCOMES as TRACE_OUTCOMES
from gym_mario_latent.simulator_bridge import SimulatorBackend, Telemetry
from gym_mario_latent.vae import WINDOW, MarioVAE
from gym_mario_latent.viewer import Viewer

DEFAULT_ACTION_BOUND = 3.0
DECODE_MODES = ("argmax", "sample")
LEVEL_WINDOW_TITLE = "gym-mario-latent: latent level"
MAX_WINDOW_WIDTH = 1400  # render_mode="human": wider level pictures are shrunk to fit
#: Bytes of one 14×14 segment in an RGB picture of the level (``render()``): 150 KB (a GAN's 14×28, twice).
SEGMENT_PICTURE_BYTES = (WINDOW * ART_SIZE) ** 2 * 3
#: The most segments an episode may have, and so the most latents it can observe (``history``) or play at
#: once (``play_last``): memory bounds them (a frame of 256 segments is 39 MB; of 2000, 301 MB each frame).
#: 256 padded segments also fit the widest level the simulator plays.
MAX_SEGMENTS = 256

Observation = np.ndarray | dict[str, np.ndarray]
#: The latent envs' keywords that go to their :class:`LatentEvaluator` (the VAE, the simulator, its game
#: settings, the cache): one list for the single and the vector env.
EVALUATOR_KEYWORDS = (
    "checkpoint",
    "generator",
    "scene_segments",
    "simulator",
    "workers",
    "agent",
    "node_budget",
    "time_limit",
    "cache_size",
)


def torch_generator(np_random: np.random.Generator) -> torch.Generator:
    """A torch generator seeded from an env's ``np_random`` (so a reset seed fixes the sampled decodes)."""
    return torch.Generator().manual_seed(int(np_random.integers(2**63 - 1)))


def _segment_count(name: str, value: Any) -> int:
    """``value`` as an int in 1..:data:`MAX_SEGMENTS`, or a ``ValueError`` naming ``name`` and the range."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    if value > MAX_SEGMENTS:
        raise ValueError(
            f"{name} must be at most {MAX_SEGMENTS}, the most segments an episode may have (bounded by "
            f"memory: a picture of the whole level takes {SEGMENT_PICTURE_BYTES // 1000} KB a segment); "
            f"got {value!r}"
        )
    return int(value)


@dataclass(frozen=True)
class LatentEnvOptions:
    """The options that shape an episode (see :class:`MarioLatentEnv`'s Arguments), checked once."""

    action_bound: float = DEFAULT_ACTION_BOUND
    decode: str = "argmax"
    history: int = 4
    observe_segment: bool = False
    play_last: int = 2
    reward: str | RewardFunction = "completion"
    segments: int = 1
    terminate_on_unplayable: bool = False

    def __post_init__(self) -> None:
        if self.decode not in DECODE_MODES:
            raise ValueError(f"decode must be one of {DECODE_MODES}; got {self.decode!r}")
        if isinstance(self.action_bound, bool) or not isinstance(self.action_bound, int | float):
            raise ValueError(f"action_bound must be a positive number; got {self.action_bound!r}")
        if not np.isfinite(self.action_bound) or self.action_bound <= 0:
            raise ValueError(f"action_bound must be a positive number; got {self.action_bound!r}")
        for name in ("history", "play_last", "segments"):
            _segment_count(name, getattr(self, name))
        reward_function(self.reward)

    @property
    def reward_function(self) -> RewardFunction:
        """The reward as a function."""
        return reward_function(self.reward)

    def new_episode(
        self, z_dim: int, segment_shape: tuple[int, int], padding_start: int = 0
    ) -> LatentEpisode:
        """An empty episode of these options, for latents of ``z_dim`` that make segments of that shape,
        played after ``padding_start`` ground columns."""
        return LatentEpisode(self.segments, self.history, self.play_last, z_dim, segment_shape, padding_start)

    def action_space(self, z_dim: int) -> Box:
        """One lane's action space: a latent vector in [-action_bound, action_bound]^z_dim."""
        return Box(-self.action_bound, self.action_bound, (z_dim,), np.float32)

    def observation_space(self, z_dim: int, segment_shape: tuple[int, int]) -> Box | Dict:
        """One lane's observation space (see :class:`MarioLatentEnv`)."""
        latents = Box(-self.action_bound, self.action_bound, (self.history, z_dim), np.float32)
        if not self.observe_segment:
            return latents
        return Dict({"latents": latents, "segment": Box(0, N_TILES - 1, segment_shape, np.int64)})


class LatentEpisode:
    """One episode's level under construction: its segments and the latents that made them.

    Shared by the single env and each lane of the vector env, so both build, play and reward levels alike.
    """

    def __init__(
        self,
        segments: int,
        history: int,
        play_last: int,
        z_dim: int,
        segment_shape: tuple[int, int],
        padding_start: int = 0,
    ) -> None:
        self.segments_per_episode = segments
        self.history = history
        self.play_last = play_last
        self.z_dim = z_dim
        self.segment_shape = segment_shape
        self.padding_start = padding_start
        #: the last game played (its telemetry), drawn by ``render()``
        self.last_game: Telemetry | None = None
        self.latents: list[np.ndarray] = []
        self.segments: list[np.ndarray] = []
        #: the same segments in the generator's alphabet, as the agent plays them
        self.generated: list[np.ndarray] = []
        #: the agent's path on each segment, from the step that added it (see :func:`segment_trace`)
        self.traces: list[np.ndarray] = []

    def reset(self) -> None:
        """Start an empty level."""
        self.latents.clear()
        self.segments.clear()
        self.generated.clear()
        self.traces.clear()
        self.last_game = None

    @property
    def finished(self) -> bool:
        """True once the episode has all its segments."""
        return len(self.segments) >= self.segments_per_episode

    def add(self, z: np.ndarray, segment: np.ndarray, generated: np.ndarray) -> None:
        """Append the segment decoded from latent ``z``, VAE tile ids (made read-only: rewards see it, and
        must not change the level), and as the generator made it (``generated``)."""
        segment.flags.writeable = False
        self.latents.append(z)
        self.segments.append(segment)
        self.generated.append(generated)

    def level(self) -> np.ndarray:
        """The level so far, tile ids (rows, columns × segments)."""
        if not self.segments:
            return np.empty((self.segment_shape[0], 0), dtype=np.int64)
        return np.concatenate(self.segments, axis=1)

    def played_level(self) -> np.ndarray:
        """What the agent plays this step: the last ``play_last`` segments side by side, in the generator's
        alphabet (see :meth:`LatentEvaluator.played`)."""
        return np.concatenate(self.generated[-self.play_last :], axis=1)

    def observation(self, observe_segment: bool) -> Observation:
        """The last ``history`` latents (zero rows before the first), plus the last segment if asked."""
        latents = np.zeros((self.history, self.z_dim), dtype=np.float32)
        recent = self.latents[-self.history :]
        if recent:
            latents[-len(recent) :] = recent
        if not observe_segment:
            return latents
        segment = (
            self.segments[-1] if self.segments else np.full(self.segment_shape, EMPTY_ID, dtype=np.int64)
        )
        return {"latents": latents, "segment": segment.astype(np.int64, copy=True)}

    def outcome(
        self, telemetry: Telemetry, reward: RewardFunction, terminate_on_unplayable: bool
    ) -> tuple[float, bool, dict[str, Any]]:
        """Reward, terminated and info of the step that added the last segment, given the agent's game."""
        segment, history = self.segments[-1], self.segments[:-1]
        self.last_game = telemetry
        columns = segment.shape[1]
        first_column = self.padding_start + self.played_level().shape[1] - columns
        del self.traces[len(self.segments) - 1 :]  # a step taken again replaces its path
        self.traces.append(segment_trace(telemetry.trace, first_column, columns))
        parts = reward_parts(reward, telemetry, segment, history, self.traces)
        playable = telemetry.won
        terminated = self.finished or (terminate_on_unplayable and not playable)
        info = {
            "telemetry": telemetry.to_dict(),
            "segment": segment.copy(),
            "level": self.level(),
            "z": self.latents[-1].copy(),
            "playable": playable,
            "reward_parts": parts,
            "segment_index": len(self.segments) - 1,
        }
        return float(sum(parts.values())), terminated, info


@contextlib.contextmanager
def undone_if_raised(
    episodes: Sequence[LatentEpisode], generators: Sequence[torch.Generator]
) -> Iterator[None]:
    """A step's block: if it raises (a reward that fails, a simulator that stops), the episodes and the
    generators' states are put back as they were, so the failed step leaves no trace (only the evaluator's
    cache may have learnt a game) and the same step can be taken again."""
    saved = [
        (list(episode.latents), list(episode.segments), list(episode.generated), list(episode.traces))
        for episode in episodes
    ]
    states = [generator.get_state() for generator in generators]
    try:
        yield
    except BaseException:
        for episode, (latents, segments, generated, traces) in zip(episodes, saved, strict=True):
            episode.latents[:], episode.segments[:] = latents, segments
            episode.generated[:], episode.traces[:] = generated, traces
        for generator, state in zip(generators, states, strict=True):
            generator.set_state(state)
        raise


class LatentEnvBase:
    """What the single and the vector latent env share: the options, the evaluator and the batch API."""

    def _set_up(self, options: LatentEnvOptions, arguments: Mapping[str, Any]) -> None:
        """Keep the episode options and start the evaluator from the constructor's ``arguments`` by name (its
        ``locals()``): those named in :data:`EVALUATOR_KEYWORDS`."""
        self.options = options
        self.reward_function = options.reward_function
        keywords = {name: arguments[name] for name in EVALUATOR_KEYWORDS}
        traced = self.render_mode is not None or needs_traces(self.reward_function)
        if traced and keywords["simulator"] is None:
            # the env's own simulator records the paths render() draws and a reward of paths reads
            keywords["trace"] = True
        elif needs_traces(self.reward_function) and not keywords["simulator"].settings.trace:
            raise ValueError(
                "this reward reads the agent's paths: give a simulator made with trace=True, or none"
            )
        self.evaluator = LatentEvaluator(**keywords)
        if options.decode == "sample":
            try:
                self.evaluator.check_samples()
            except ValueError:
                self.evaluator.close()
                raise
        self.z_dim = self.evaluator.z_dim
        self.segment_shape = self.evaluator.scene_shape
        padding = self.evaluator.simulator.padding
        #: ground columns the simulator plays before the level
        self.padding_start = padding.start if padding is not None else 0

    def picture(self, episode: LatentEpisode) -> np.ndarray:
        """An episode's picture with its last game's path (see :func:`render_episode`)."""
        return render_episode(episode, self.padding_start)

    def _check_open(self) -> None:
        """Raises :class:`~gym_mario_latent.errors.EnvClosedError` once the env is closed."""
        self.evaluator.check_open(type(self).__name__)

    def _checked_actions(self, actions: Any, shape: tuple[int, ...]) -> np.ndarray:
        """The actions of a step as latents (n, z_dim), clipped to the action bound: exactly ``shape``, real
        and finite, or a ``ValueError`` naming the problem (one check for the single and the vector env)."""
        return checked_latents(actions, self.z_dim, self.options.action_bound, what="action", shape=shape)

    def evaluate_latents(
        self,
        z: Any,
        objective: str | RewardFunction | None = None,
        measures: Sequence[str] = DEFAULT_MEASURES,
        agents: Sequence[str] | None = None,
    ) -> LatentBatch | dict[str, LatentBatch]:
        """Score a batch of latents (n, z_dim) in one decode and one batch of games, outside any episode,
        on the env's worker pool and cache: see :meth:`LatentEvaluator.evaluate_latents` (``agents``: one
        result per persona). The objective defaults to the env's reward; latents are clipped to the action
        bound."""
        self._check_open()
        return self.evaluator.evaluate_latents(
            z, objective or self.options.reward_function, measures, self.options.action_bound, agents
        )


class MarioLatentEnv(LatentEnvBase, gym.Env[Observation, np.ndarray]):
    """Mario level segments generated from latent vectors, played by the simulator's A* agent.

    ## Description
    Each step takes a latent vector z of a level generator (a MarioVAE by default: a 14×14 segment; the
    MarioGAN: 14×28; any :class:`~gym_mario_latent.latent.Generator`), makes its level segment, appends the
    segment to the level built so far and lets the simulator's A* agent (deterministic: it searches a fixed
    number of nodes per tick, not a wall-clock budget) play the last ``play_last`` segments, padded with
    flat ground before and after. The reward comes from the agent's telemetry. ``MarioLatent-v0`` is the
    black-box setting (one segment per episode: reset, one step, terminated); ``MarioLatentLevel-v0`` the
    designer setting (a level of ``segments`` segments, 10 by default). Games are cached by their tiles, so
    a segment played before (argmax decoding maps many latents to one segment) costs nothing.

    ## Action Space
    ``Box(-action_bound, action_bound, (z_dim,), float32)``: z_dim is the generator's (2 for the VAE
    ``"pretrained"``, 32 for ``"pretrained-32"`` and the GAN) times ``scene_segments``. Values outside the
    bounds are clipped; a NaN or infinite component, a value that is not a real number (a string, bool or
    complex number), or another shape raises ``ValueError``.

    ## Observation Space
    ``Box(-action_bound, action_bound, (history, z_dim), float32)``: the latents of the last ``history``
    steps, oldest first, zero rows before the first step. With ``observe_segment=True`` a ``Dict`` of those
    ``"latents"`` and ``"segment"``, the last segment's tile ids ``Box(0, 10, (rows, columns), int64)``
    (the generator's shape, columns × ``scene_segments``; (14, 14) for the VAE) in the VAE
    alphabet (all empty sky ``-`` at reset).

    ## Rewards
    ``reward(telemetry, segment, history)``: a preset name or any callable of that signature (history =
    the episode's earlier segments). Presets (:mod:`~gym_mario_latent.latent.rewards`): ``completion``
    (share of the played segments crossed, 0–1), ``win`` (1 if the agent got through), ``jumps`` (jumps in
    a playable segment, else 0: the MarioVAE blog's objective), ``edpcg`` (MFEDRL's default: playability 0/-1
    plus content fun, the tile-pattern divergence from the recent segments held near a goal, plus behaviour
    fun, the same for the agent's paths; the env then records the agent's trace) and ``edpcg-content``
    (without behaviour fun). A callable with ``needs_traces = True`` also gets ``traces=`` (see
    :mod:`~gym_mario_latent.latent.rewards`). The reward (or each
    of its parts) must be a finite real number: another type raises ``TypeError``, NaN or an infinity
    ``ValueError``, naming what the function returned. The segments it is shown are read-only.

    ## Starting State
    An empty level: no segments, all-zero latents in the observation.

    ## Episode End
    Terminated after ``segments`` steps, or at the first unplayable segment (the agent did not win) when
    ``terminate_on_unplayable``. Never truncated (add ``max_episode_steps`` for that). A step that raises
    (a failing reward, a stopped simulator) leaves the episode as it was: the same step can be taken again.

    ## Arguments
    - ``checkpoint``: the VAE: ``"pretrained"`` (z_dim 2, default), ``"pretrained-32"``, a checkpoint path, or
      a :class:`~gym_mario_latent.vae.MarioVAE`.
    - ``generator``: another generator instead (not with ``checkpoint``): ``"gan"`` (the shipped DCGAN),
      ``"vae"``, ``"vae-32"``, a GAN checkpoint path, or any :class:`~gym_mario_latent.latent.Generator`
      (your :class:`~gym_mario_latent.latent.FunctionGenerator`, ``ModuleGenerator`` or object). A
      generator of the Mario AI alphabet is observed, rewarded and drawn as VAE tiles (every enemy a goomba)
      but played as its own Mario AI text (its koopas stay koopas).
    - ``scene_segments``: k: each action is k latents of the generator side by side (k × its z_dim), and
      the "segment" a step appends is their k segments concatenated left to right (default 1).
    - ``action_bound``: b of the action space (default 3.0, three prior standard deviations).
    - ``decode``: ``"argmax"`` (the most likely tiles; deterministic) or ``"sample"`` (the VAE only: tiles
      drawn from the decoder's distribution with the env's random generator, seeded by ``reset(seed=...)``).
    - ``history``: latents in the observation (default 4, as ED(PCG)RL). ``history``, ``play_last`` and
      ``segments`` are at most :data:`MAX_SEGMENTS` (256), which bounds the memory of the observation and
      of a rendered frame.
    - ``observe_segment``: add the last segment's tiles to the observation (a ``Dict`` space).
    - ``play_last``: how many recent segments the agent plays each step (default 2: the new one after its
      predecessor, so the seam is played too; the first step plays one).
    - ``reward``: a preset name (default ``"completion"``) or a callable.
    - ``segments``: steps per episode (1 for ``MarioLatent-v0``, 10 for ``MarioLatentLevel-v0``).
    - ``terminate_on_unplayable``: end the episode at the first segment the agent cannot get through.
    - ``simulator``: a :class:`~gym_mario_latent.simulator_bridge.Simulator` or
      :class:`~gym_mario_latent.simulator_bridge.RaySimulator` (any ``SimulatorBackend``, else
      ``TypeError``) to share; by default the env starts and owns one (``workers`` JVMs, 1 by default),
      stopped by :meth:`close`. ``copy.deepcopy(env)`` shares a simulator passed in, and starts its own
      when the env owns one (the copy plays on alone: closing one does not stop the other).
    - ``agent``, ``node_budget``, ``time_limit``: the game settings of the env's own simulator.
    - ``cache_size``: games remembered (default 10 000; 0 turns the cache off).
    - ``render_mode``: ``"rgb_array"`` (the level so far as a picture, the segments still to come as sky,
      with the agent's path in the last game drawn on it: its take-offs and a flag, cross or square where
      it ended; the env's own simulator records paths when a render mode is set, a shared one when made
      with ``trace=True``) or ``"human"`` (the same picture in a window, shrunk to fit 1400 pixels wide;
      needs pygame and a display: without them it warns once, a ``DisplayWarning``, and goes on without a
      window).

    ## Info
    After a step: ``telemetry`` (the agent's game, keys as the simulator names them, see
    simulator/PROTOCOL.md), ``segment`` (tile ids of the new segment), ``level`` (tile ids of the level so
    far), ``z`` (the latent used, after clipping), ``playable`` (the agent got through the played part),
    ``reward_parts`` (the reward's named parts; their sum is the reward), ``segment_index``. Cache hits are
    counted in ``env.unwrapped.evaluator.cache_hits``.

    ## Closing
    :meth:`close` stops the env's own simulator; a closed env refuses to reset, step or evaluate
    (:class:`~gym_mario_latent.errors.EnvClosedError`, also Gymnasium's ``ClosedEnvironmentError``).

    ## Version History
    - v0: initial release.
    """

    metadata: ClassVar[dict] = {"render_modes": ["rgb_array", "human"], "render_fps": 4}

    def __init__(
        self,
        checkpoint: str | Path | MarioVAE | None = None,
        *,
        generator: Generator | str | Path | None = None,
        scene_segments: int = 1,
        action_bound: float = DEFAULT_ACTION_BOUND,
        decode: str = "argmax",
        history: int = 4,
        observe_segment: bool = False,
        play_last: int = 2,
        reward: str | RewardFunction = "completion",
        segments: int = 1,
        terminate_on_unplayable: bool = False,
        simulator: SimulatorBackend | None = None,
        workers: int | None = 1,
        agent: str | None = None,
        node_budget: int | None = None,
        time_limit: float | None = None,
        cache_size: int = DEFAULT_CACHE_SIZE,
        render_mode: str | None = None,
    ) -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None")
        options = LatentEnvOptions(
            action_bound=action_bound,
            decode=decode,
            history=history,
            observe_segment=observe_segment,
            play_last=play_last,
            reward=reward,
            segments=segments,
            terminate_on_unplayable=terminate_on_unplayable,
        )
        self.render_mode = render_mode
        self._set_up(options, locals())
        self.episode = self.options.new_episode(self.z_dim, self.segment_shape, self.padding_start)
        self.action_space = self.options.action_space(self.z_dim)
        self.observation_space = self.options.observation_space(self.z_dim, self.segment_shape)
        self._generator: torch.Generator | None = None
        self.viewer: Viewer | None = None  # the human-mode window, made at the first render
        self._needs_reset = True

    # -- the Gymnasium API -----------------------------------------------------------------------------

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Observation, dict]:
        """Start an empty level; ``seed`` seeds the sampled decodes (``decode="sample"``)."""
        self._check_open()
        super().reset(seed=seed)
        if seed is not None or self._generator is None:
            self._generator = torch_generator(self.np_random)
        self.episode.reset()
        self._needs_reset = False
        if self.render_mode == "human":
            self.render()
        return self.episode.observation(self.options.observe_segment), {}

    def step(self, action: np.ndarray) -> tuple[Observation, float, bool, bool, dict[str, Any]]:
        """Decode the latent, append its segment, let the agent play, and reward the game. A step that raises
        leaves the episode as it was."""
        self._check_open()
        if self._needs_reset:
            raise RuntimeError("cannot step an env whose episode has ended: call reset() first")
        z = self._checked_actions(action, (self.z_dim,))
        generators = [self._generator] if self.options.decode == "sample" else []
        with undone_if_raised([self.episode], generators):
            generated = self.evaluator.generate(z, generators or None)
            self.episode.add(z[0], self.evaluator.vae_ids(generated)[0], generated[0])
            (telemetry,) = self.evaluator.play([self.evaluator.played(self.episode.played_level())])
            reward, terminated, info = self.episode.outcome(
                telemetry, self.reward_function, self.options.terminate_on_unplayable
            )
        self._needs_reset = terminated
        if self.render_mode == "human":
            self.render()
        return self.episode.observation(self.options.observe_segment), reward, terminated, False, info

    def render(self) -> np.ndarray | None:
        """The level so far as an RGB picture (the segments still to come drawn as sky), with the agent's
        path in the last game drawn on it (see the class docstring, ``render_mode``)."""
        picture = self.picture(self.episode)
        if self.render_mode != "human":
            return picture
        if self.viewer is None:
            self.viewer = Viewer(LEVEL_WINDOW_TITLE, max_width=MAX_WINDOW_WIDTH, on_no_display="warn")
        self.viewer.show(picture)
        return None

    def __deepcopy__(self, memo: dict[int, Any]) -> MarioLatentEnv:
        """A copy of the episode, generators and evaluator (see :meth:`LatentEvaluator.__deepcopy__`: it owns
        its simulator unless the user passed one); it opens its own window at its first human render."""
        return copied_except(self, memo, viewer=None)

    def close(self) -> None:
        """Stop the env's own simulator JVMs (never those of a shared simulator) and any window; the env then
        refuses to reset or step (:class:`~gym_mario_latent.errors.EnvClosedError`)."""
        if self.viewer is not None:
            self.viewer.close()
        self.evaluator.close()


def render_episode(episode: LatentEpisode, padding_start: int = 0, tile_size: int = ART_SIZE) -> np.ndarray:
    """The episode's level as a picture of a fixed size (every segment of the episode, the ones still to
    come as sky), so the frames of an episode can make a video; with the last game's path drawn on it
    (:func:`~gym_mario_latent.levels.draw_trace`) when that game was played with a trace.

    Args:
        episode: the episode drawn.
        padding_start: the ground columns the simulator played before the level (``Padding.start``).
        tile_size: pixels per tile.
    """
    rows, columns = episode.segment_shape
    canvas = np.full((rows, columns * episode.segments_per_episode), EMPTY_ID, dtype=np.int64)
    level = episode.level()
    canvas[:, : level.shape[1]] = level
    game = episode.last_game
    if game is None or not game.trace:
        return render_pixels(canvas, tile_size)
    first_played = level.shape[1] - episode.played_level().shape[1]
    outcome = game.status if game.status in TRACE_OUTCOMES else None
    picture = draw_trace(canvas, game.trace, outcome, tile_size, column_offset=padding_start - first_played)
    return np.asarray(picture.convert("RGB"))
