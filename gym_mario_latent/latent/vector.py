"""The latent-level env, vectorised: N lanes decoded in one VAE forward pass and played in one batch of
games on one shared worker pool."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import torch
from gymnasium.utils import seeding
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space, concatenate, create_empty_array

from gym_mario_latent.envs.autoreset import checked_autoreset_mode, same_step_info
from gym_mario_latent.latent.env import (
    LatentEnvBase,
    LatentEnvOptions,
    torch_generator,
    undone_if_raised,
)
from gym_mario_latent.latent.evaluation import DEFAULT_CACHE_SIZE
from gym_mario_latent.latent.generators import Generator
from gym_mario_latent.simulator_bridge import SimulatorBackend
from gym_mario_latent.vae import MarioVAE


class MarioLatentVectorEnv(LatentEnvBase, VectorEnv):
    """``num_envs`` latent-level envs stepped together: ``gym.make_vec("MarioLatent-v0", num_envs=N)``.

    ## Description
    Lane ``i`` behaves exactly like ``gym.make(id)`` with the same arguments, reset with seed ``seed + i``:
    the same observations, rewards, terminations and infos for the same actions. A step decodes the latents
    of all lanes in one VAE forward pass and plays all their levels in one ``evaluate_many`` on one shared
    worker pool (one JVM per CPU by default), so the lanes' games run in parallel; the cache is shared too.

    ## Action Space
    ``Box(-b, b, (num_envs, z_dim), float32)``: one latent per lane.

    ## Observation Space
    The single env's, batched: ``(num_envs, history, z_dim)``, or a ``Dict`` of batched arrays with
    ``observe_segment=True``.

    ## Rewards, Starting State, Episode End, Info
    Per lane, as in :class:`~gym_mario_latent.latent.env.MarioLatentEnv`. Infos are dicts of arrays with
    ``_key`` masks, as Gymnasium's vector envs build them; ``info["level"]`` is an object array (lanes'
    levels may differ in width).

    ## Autoreset
    ``AutoresetMode.NEXT_STEP`` (default): the step after a lane's episode ends resets that lane instead of
    stepping it (its action is ignored), returning the first observation, reward 0, ``terminated=False`` and
    the reset info ``{}``. ``autoreset_mode=AutoresetMode.SAME_STEP`` (what Stable-Baselines3 expects)
    resets the lane in the step that ends its episode: that step returns the new episode's first
    observation, with the ended episode's last observation and info in ``info["final_obs"]`` and
    ``info["final_info"]``, as Gymnasium's ``SyncVectorEnv`` does.

    ## Failures, copies, closing
    As in the single env: a step that raises leaves every lane as it was (the same step can be taken again);
    ``copy.deepcopy`` starts its own simulator when the env owns one; a closed env refuses to reset or step
    (:class:`~gym_mario_latent.errors.EnvClosedError`). Bad actions get the single env's ``ValueError``.

    ## Arguments
    ``num_envs``, ``autoreset_mode``, then every argument of
    :class:`~gym_mario_latent.latent.env.MarioLatentEnv`, except that ``workers`` (JVMs of the env's own
    simulator) defaults to the CPUs, and ``render_mode`` can only be ``"rgb_array"`` (``render()`` returns
    one picture per lane).

    ## Version History
    - v0: initial release.
    """

    metadata: ClassVar[dict] = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": ["rgb_array"]}

    def __init__(
        self,
        num_envs: int,
        checkpoint: str | Path | MarioVAE | None = None,
        *,
        generator: Generator | str | Path | None = None,
        scene_segments: int = 1,
        simulator: SimulatorBackend | None = None,
        workers: int | None = None,
        agent: str | None = None,
        node_budget: int | None = None,
        time_limit: float | None = None,
        cache_size: int = DEFAULT_CACHE_SIZE,
        render_mode: str | None = None,
        autoreset_mode: AutoresetMode | str = AutoresetMode.NEXT_STEP,
        **options: Any,
    ) -> None:
        if isinstance(num_envs, bool) or not isinstance(num_envs, int) or num_envs < 1:
            raise ValueError(f"num_envs must be a positive integer; got {num_envs!r}")
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None")
        self.metadata = {**self.metadata, "autoreset_mode": checked_autoreset_mode(autoreset_mode)}
        self.num_envs = num_envs
        self.render_mode = render_mode
        self._set_up(LatentEnvOptions(**options), locals())
        self.episodes = [
            self.options.new_episode(self.z_dim, self.segment_shape, self.padding_start)
            for _ in range(num_envs)
        ]
        self.single_action_space = self.options.action_space(self.z_dim)
        self.single_observation_space = self.options.observation_space(self.z_dim, self.segment_shape)
        self.action_space = batch_space(self.single_action_space, num_envs)
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self._lane_random: list[np.random.Generator | None] = [None] * num_envs
        self._generators: list[torch.Generator | None] = [None] * num_envs
        self._autoreset = np.zeros(num_envs, dtype=np.bool_)
        self._needs_reset = True

    # -- the Gymnasium API -----------------------------------------------------------------------------

    def _seed_lane(self, lane: int, seed: int | None) -> None:
        if seed is not None or self._lane_random[lane] is None:
            self._lane_random[lane], _ = seeding.np_random(seed)
            self._generators[lane] = torch_generator(self._lane_random[lane])

    def _observations(self, observations: list[Any]) -> Any:
        return concatenate(
            self.single_observation_space,
            observations,
            create_empty_array(self.single_observation_space, self.num_envs),
        )

    def reset(
        self, *, seed: int | Sequence[int | None] | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Any, dict[str, Any]]:
        """Reset every lane; an int ``seed`` seeds lane ``i`` with ``seed + i``; a list gives one per lane."""
        self._check_open()
        if seed is None or isinstance(seed, int | np.integer):
            seeds = [None if seed is None else int(seed) + lane for lane in range(self.num_envs)]
        else:
            seeds = list(seed)
            if len(seeds) != self.num_envs:
                raise ValueError(f"expected {self.num_envs} seeds, one per lane; got {len(seeds)}")
        for lane, lane_seed in enumerate(seeds):
            self._seed_lane(lane, lane_seed)
            self.episodes[lane].reset()
        self._autoreset[:] = False
        self._needs_reset = False
        return self._observations([self._observation(lane) for lane in range(self.num_envs)]), {}

    def _observation(self, lane: int) -> Any:
        return self.episodes[lane].observation(self.options.observe_segment)

    def step(self, actions: Any) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Step every lane (or reset it, if its episode ended at the previous step). A step that raises
        leaves every lane as it was."""
        self._check_open()
        if self._needs_reset:
            raise RuntimeError("cannot step before reset(): call reset() first")
        z = self._checked_actions(actions, (self.num_envs, self.z_dim))
        rewards = np.zeros(self.num_envs, dtype=np.float64)
        terminated = np.zeros(self.num_envs, dtype=np.bool_)
        infos: dict[str, Any] = {}
        playing = [lane for lane in range(self.num_envs) if not self._autoreset[lane]]
        generators = [self._generators[lane] for lane in playing] if self.options.decode == "sample" else []
        with undone_if_raised(self.episodes, generators):
            for lane in np.flatnonzero(self._autoreset):
                self.episodes[lane].reset()
            if playing:
                generated = self.evaluator.generate(z[playing], generators or None)
                segments = self.evaluator.vae_ids(generated)
                for lane, segment, made in zip(playing, segments, generated, strict=True):
                    self.episodes[lane].add(z[lane], segment, made)
                games = self.evaluator.play(
                    [self.evaluator.played(self.episodes[lane].played_level()) for lane in playing]
                )
                for lane, telemetry in zip(playing, games, strict=True):
                    rewards[lane], terminated[lane], info = self.episodes[lane].outcome(
                        telemetry, self.reward_function, self.options.terminate_on_unplayable
                    )
                    if terminated[lane] and self._same_step:  # reset now; the ended episode goes in final_*
                        info = same_step_info({}, self._observation(lane), info)
                        self.episodes[lane].reset()
                    infos = self._add_info(infos, _level_as_object(infos, info, self.num_envs), lane)
        self._autoreset = terminated.copy() if not self._same_step else self._autoreset
        observations = self._observations([self._observation(lane) for lane in range(self.num_envs)])
        return observations, rewards, terminated, np.zeros(self.num_envs, dtype=np.bool_), infos

    @property
    def _same_step(self) -> bool:
        return self.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP

    def render(self) -> tuple[np.ndarray, ...] | None:
        """One picture per lane of its level so far (see the single env)."""
        if self.render_mode is None:
            return None
        return tuple(self.picture(episode) for episode in self.episodes)

    def close_extras(self, **kwargs: Any) -> None:
        """Stop the env's own simulator JVMs (never those of a shared simulator); nothing to stop when the
        constructor failed before it made its evaluator."""
        if hasattr(self, "evaluator"):
            self.evaluator.close()


def _level_as_object(infos: dict[str, Any], info: dict[str, Any], num_envs: int) -> dict[str, Any]:
    """Prepare ``infos`` so that ``_add_info`` batches a lane's ``level`` (its width grows with the episode,
    so lanes' levels may differ in width) into an object array instead of one fixed-shape array."""
    if "level" in info and "level" not in infos:
        infos["level"] = np.full(num_envs, None, dtype=object)
    if "final_info" in info:
        infos.setdefault("final_info", {})
        _level_as_object(infos["final_info"], info["final_info"], num_envs)
    return info
