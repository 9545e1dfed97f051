"""Stable-Baselines3: any Gymnasium 1.x ``VectorEnv`` with same-step autoreset, as an SB3 ``VecEnv``.

SB3 steps its own ``VecEnv`` API (lists of info dicts, ``terminal_observation``, ``TimeLimit.truncated``), and
Gymnasium's vector envs speak another (dicts of arrays with ``_key`` masks, ``final_obs`` / ``final_info``).
:class:`SB3VecEnv` translates, so the native vector envs (NES and latent) train with SB3 directly::

    from stable_baselines3 import PPO
    from gym_mario_latent.integrations.sb3 import SB3VecEnv
    from gym_mario_latent.preprocessing import make_preprocessed

    envs = make_preprocessed("SuperMarioBros-1-1-v0", num_envs=8, autoreset_mode="SameStep")
    PPO("CnnPolicy", SB3VecEnv(envs)).learn(100_000)

Wrap the result in SB3's ``VecMonitor`` for SB3's episode statistics. :func:`ppo_preset` gives published PPO
hyper-parameters for this kind of env (``PPO("CnnPolicy", envs, **ppo_preset())``). Needs the ``rl`` extra.
"""

from collections.abc import Sequence
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode, VectorEnv
from stable_baselines3.common.utils import LinearSchedule
from stable_baselines3.common.vec_env import VecEnv
from stable_baselines3.common.vec_env.base_vec_env import VecEnvIndices, VecEnvObs, VecEnvStepReturn

ZOO_ATARI = "rl-zoo-atari"
ZOO_ATARI_SOURCE = "https://github.com/DLR-RM/rl-baselines3-zoo/blob/master/hyperparams/ppo.yml"
# rl-baselines3-zoo's PPO hyper-parameters for pixel games (the "atari" entry of ZOO_ATARI_SOURCE: 8 envs,
# 84x84 grayscale frames stacked 4, CnnPolicy, 1e7 steps). "lin_X" there is X times the progress remaining,
# SB3's LinearSchedule(X, 0, 1).
# gamma 0.99, gae_lambda 0.95 and max_grad_norm 0.5 are SB3's defaults, which the entry keeps.
_PPO_PRESETS: dict[str, dict[str, Any]] = {
    ZOO_ATARI: {
        "n_steps": 128,
        "n_epochs": 4,
        "batch_size": 256,
        "learning_rate": LinearSchedule(2.5e-4, 0.0, 1.0),  # stateless: shared by every call
        "clip_range": LinearSchedule(0.1, 0.0, 1.0),
        "vf_coef": 0.5,
        "ent_coef": 0.01,
    }
}
PRESET_NUM_ENVS = {ZOO_ATARI: 8}  # the lanes each preset was published with


def ppo_preset(name: str = ZOO_ATARI) -> dict[str, Any]:
    """Keyword arguments of SB3's ``PPO`` for a published preset: ``PPO("CnnPolicy", envs, **ppo_preset())``.

    ``"rl-zoo-atari"``: rl-baselines3-zoo's Atari PPO (:data:`ZOO_ATARI_SOURCE`), for
    :data:`PRESET_NUM_ENVS` (8) lanes of the preprocessing stack; learning rate and clip range fall linearly
    to 0 over ``learn``'s steps.

    Raises:
        ValueError: ``name`` is not a preset.
    """
    if name not in _PPO_PRESETS:
        raise ValueError(f"PPO preset {name!r} is not one of {sorted(_PPO_PRESETS)}")
    return dict(_PPO_PRESETS[name])


def lane_infos(infos: dict[str, Any], num_envs: int) -> list[dict[str, Any]]:
    """A Gymnasium vector info (dict of arrays, ``_key`` masks) as one dict per lane, nested dicts too."""
    lanes: list[dict[str, Any]] = [{} for _ in range(num_envs)]
    for key, values in infos.items():
        if key.startswith("_") and key[1:] in infos:
            continue
        mask = infos.get(f"_{key}", np.ones(num_envs, dtype=bool))
        if isinstance(values, dict):
            for lane, nested in enumerate(lane_infos(values, num_envs)):
                if mask[lane]:
                    lanes[lane][key] = nested
            continue
        for lane in np.flatnonzero(mask):
            lanes[lane][key] = values[lane]
    return lanes


class SB3VecEnv(VecEnv):
    """A Gymnasium ``VectorEnv`` with ``AutoresetMode.SAME_STEP`` behind Stable-Baselines3's ``VecEnv`` API.

    The step that ends a lane's episode returns the next episode's first observation, as SB3 expects; that
    lane's info is the ended episode's last info plus ``terminal_observation`` (its last observation) and
    ``TimeLimit.truncated`` (truncated and not terminated); the new episode's reset info goes to
    ``reset_infos``. ``seed(s)`` seeds the next reset (lane ``i`` with ``s + i``).

    ``get_attr`` / ``set_attr`` / ``env_method`` reach per-lane envs where the vector env has them
    (``SyncVectorEnv`` / ``AsyncVectorEnv``); otherwise ``get_attr`` and ``set_attr`` act on the vector env
    itself, which the native envs' lanes share (``render_mode``...).

    Args:
        vector_env: the vector env; its ``metadata["autoreset_mode"]`` must be ``AutoresetMode.SAME_STEP``.
    """

    def __init__(self, vector_env: VectorEnv) -> None:
        if not isinstance(vector_env, VectorEnv):
            raise TypeError(f"expected a gymnasium VectorEnv, got {type(vector_env).__name__}")
        mode = vector_env.metadata.get("autoreset_mode", AutoresetMode.NEXT_STEP)
        if mode != AutoresetMode.SAME_STEP:
            raise ValueError(
                f"SB3 needs same-step autoreset, but this vector env resets {AutoresetMode(mode).value}: "
                f'make it with autoreset_mode="SameStep" (gym.make_vec(..., autoreset_mode="SameStep"))'
            )
        self.vector_env = vector_env
        self._actions: np.ndarray | None = None
        super().__init__(
            vector_env.num_envs, vector_env.single_observation_space, vector_env.single_action_space
        )

    # --- stepping -------------------------------------------------------------------------------------------
    def reset(self) -> VecEnvObs:
        """Reset every lane with the seeds given to :meth:`seed` (if any), then forget them."""
        seeds = None if all(seed is None for seed in self._seeds) else list(self._seeds)
        options = self._options[0] or None
        if any(lane_options != self._options[0] for lane_options in self._options):
            raise ValueError(
                "a Gymnasium vector env takes one options dict for all lanes; got different ones"
            )
        observations, infos = self.vector_env.reset(seed=seeds, options=options)
        self.reset_infos = lane_infos(infos, self.num_envs)
        self._reset_seeds()
        self._reset_options()
        return observations

    def step_async(self, actions: np.ndarray) -> None:
        self._actions = np.asarray(actions)

    def step_wait(self) -> VecEnvStepReturn:
        observations, rewards, terminations, truncations, infos = self.vector_env.step(self._actions)
        dones = terminations | truncations
        lanes = lane_infos(infos, self.num_envs)
        for lane in np.flatnonzero(dones):
            reset_info = lanes[lane]
            final_observation = reset_info.pop("final_obs")
            lanes[lane] = {
                **reset_info.pop("final_info", {}),
                "terminal_observation": final_observation,
                "TimeLimit.truncated": bool(truncations[lane] and not terminations[lane]),
            }
            self.reset_infos[lane] = reset_info
        for lane in np.flatnonzero(~dones):
            lanes[lane]["TimeLimit.truncated"] = False
        return observations, np.asarray(rewards, dtype=np.float32), dones, lanes

    def close(self) -> None:
        self.vector_env.close()

    def get_images(self) -> Sequence[np.ndarray | None]:
        frames = self.vector_env.render() if self.render_mode == "rgb_array" else None
        return list(frames) if frames is not None else [None] * self.num_envs

    # --- attributes and methods -----------------------------------------------------------------------------
    def get_attr(self, attr_name: str, indices: VecEnvIndices = None) -> list[Any]:
        """The attribute of each lane in ``indices`` (the vector env's own if it has no per-lane envs)."""
        indices = list(self._get_indices(indices))
        if hasattr(self.vector_env, "get_attr"):
            values = self.vector_env.get_attr(attr_name)
            return [values[index] for index in indices]
        return [getattr(self.vector_env, attr_name)] * len(indices)

    def set_attr(self, attr_name: str, value: Any, indices: VecEnvIndices = None) -> None:
        """Set the attribute in each lane (in the vector env itself when it has no per-lane envs)."""
        if hasattr(self.vector_env, "set_attr"):
            if indices is not None:
                raise ValueError(
                    f"{type(self.vector_env).__name__}.set_attr sets every lane; indices unsupported"
                )
            self.vector_env.set_attr(attr_name, value)
        else:
            setattr(self.vector_env, attr_name, value)

    def env_method(
        self, method_name: str, *method_args: Any, indices: VecEnvIndices = None, **method_kwargs: Any
    ) -> list[Any]:
        """Call a method of each lane env (vector envs with per-lane envs only: ``call``)."""
        if not hasattr(self.vector_env, "call"):
            raise AttributeError(
                f"{type(self.vector_env).__name__} has no per-lane envs to call {method_name!r} on "
                "(only SyncVectorEnv / AsyncVectorEnv have call())"
            )
        results = self.vector_env.call(method_name, *method_args, **method_kwargs)
        return [results[index] for index in self._get_indices(indices)]

    def env_is_wrapped(self, wrapper_class: type[gym.Wrapper], indices: VecEnvIndices = None) -> list[bool]:
        """Whether each lane is wrapped in ``wrapper_class`` (a native vector env's lanes are not visible)."""
        if hasattr(self.vector_env, "envs"):
            lanes = [self.vector_env.envs[index] for index in self._get_indices(indices)]
            return [_is_wrapped(lane, wrapper_class) for lane in lanes]
        return [False] * len(list(self._get_indices(indices)))


def _is_wrapped(env: gym.Env, wrapper_class: type[gym.Wrapper]) -> bool:
    while isinstance(env, gym.Wrapper):
        if isinstance(env, wrapper_class):
            return True
        env = env.env
    return False
