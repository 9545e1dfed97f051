"""Stable-Baselines3 on our envs: the adapter from Gymnasium vector envs, check_env, a few PPO steps."""

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode
from stable_baselines3 import PPO
from stable_baselines3.common.env_checker import check_env

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.actions import RIGHT_ONLY
from gym_mario_latent.integrations.sb3 import SB3VecEnv
from gym_mario_latent.preprocessing import make_preprocessed
from gym_mario_latent.simulator_bridge import Simulator


def preprocessed_vector_env(num_envs: int = 2, **kwargs) -> gym.vector.VectorEnv:
    return make_preprocessed(
        "SuperMarioBros-1-1-v0",
        num_envs=num_envs,
        actions=RIGHT_ONLY,
        autoreset_mode=AutoresetMode.SAME_STEP,
        **kwargs,
    )


def test_sb3_check_env_passes_on_the_preprocessed_single_env(smb_rom_path, make_env):
    env = make_env(make_preprocessed, "SuperMarioBros-1-1-v0", actions=RIGHT_ONLY)
    check_env(env)


def test_adapter_reports_terminal_observation_and_time_limit_truncation_as_sb3_expects(
    smb_rom_path, make_env
):
    envs = make_env(SB3VecEnv, preprocessed_vector_env(max_episode_steps=5))
    assert envs.num_envs == 2 and envs.observation_space.shape == (4, 84, 84)
    envs.seed(3)
    first = envs.reset()
    assert first.shape == (2, 4, 84, 84) and envs.reset_infos[0]["x_pos"] == 40
    for _ in range(4):
        observations, rewards, dones, infos = envs.step(np.array([1, 1]))
        assert not dones.any() and rewards.dtype == np.float32
        assert infos[0]["TimeLimit.truncated"] is False
    assert infos[0]["x_pos"] > 40
    observations, rewards, dones, infos = envs.step(np.array([1, 1]))
    assert dones.tolist() == [True, True]
    for lane in range(2):
        assert infos[lane]["TimeLimit.truncated"] is True
        assert infos[lane]["x_pos"] > 40, "a done lane's info is the ended episode's last info"
        assert infos[lane]["terminal_observation"].shape == (4, 84, 84)
        assert not np.array_equal(infos[lane]["terminal_observation"], observations[lane])
        assert envs.reset_infos[lane]["x_pos"] == 40, "the new episode's reset info"
    assert np.array_equal(observations, first), "the step that ends an episode returns the next start"
    assert envs.get_attr("render_mode") == [None, None]


def test_adapter_refuses_next_step_autoreset_with_the_fix_in_the_message(smb_rom_path, make_env):
    envs = make_env(gym.make_vec, "SuperMarioBros-1-1-v0", num_envs=1)
    with pytest.raises(ValueError, match="SameStep"):
        SB3VecEnv(envs)


def test_sb3_ppo_learns_a_few_steps_on_the_native_nes_vector_env(smb_rom_path, tmp_path, make_env):
    envs = make_env(SB3VecEnv, preprocessed_vector_env(max_episode_steps=10))
    model = PPO("CnnPolicy", envs, n_steps=16, batch_size=32, n_epochs=1, device="cpu", seed=0)
    model.learn(32)
    assert model.num_timesteps == 32
    model.save(tmp_path / "ppo")


def test_sb3_ppo_learns_a_few_steps_on_the_latent_vector_env(make_env):
    with Simulator(workers=2) as simulator:
        envs = make_env(
            gym.make_vec, "MarioLatent-v0", num_envs=2, simulator=simulator, autoreset_mode="SameStep"
        )
        model = PPO("MlpPolicy", SB3VecEnv(envs), n_steps=16, batch_size=32, n_epochs=1, device="cpu", seed=0)
        model.learn(32)
        assert model.num_timesteps == 32


def test_the_sb3_example_trains_one_rollout_and_update_with_the_published_preset(smb_rom_path, tmp_path):
    """examples/sb3_ppo_smb.py: SB3 PPO built with ``ppo_preset()`` on the real preprocessed env, one 256-step
    rollout over 2 lanes and the preset's 4 epochs of updates, then saved and loaded back."""
    import importlib.util
    from pathlib import Path

    from gym_mario_latent.integrations.sb3 import ppo_preset

    path = Path(__file__).resolve().parents[1] / "examples" / "sb3_ppo_smb.py"
    spec = importlib.util.spec_from_file_location("sb3_ppo_smb", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    preset = ppo_preset()
    model = example.train(total_steps=256, num_envs=2, out=tmp_path, device="cpu", verbose=0)
    assert model.num_timesteps == 256
    assert model._n_updates == preset["n_epochs"]
    assert (model.n_steps, model.batch_size) == (preset["n_steps"], preset["batch_size"])
    assert model.lr_schedule(1.0) == preset["learning_rate"](1.0) > preset["learning_rate"](0.5)
    loaded = PPO.load(tmp_path / "ppo_sb3.zip", device="cpu")
    assert loaded.clip_range(1.0) == preset["clip_range"](1.0)


def test_an_unknown_ppo_preset_names_the_known_ones():
    from gym_mario_latent.integrations.sb3 import ppo_preset

    with pytest.raises(ValueError, match=r"'nope' is not one of \['rl-zoo-atari'\]"):
        ppo_preset("nope")
