"""The latent API with any generator (the VAE, the GAN, a user's function), k-segment scenes and personas,
on the real models and the real jar."""

from __future__ import annotations

import subprocess
import sys

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.errors import LevelFormatError
from gym_mario_latent.gan import load_pretrained_gan
from gym_mario_latent.latent import FunctionGenerator
from gym_mario_latent.latent.evaluation import LatentEvaluator, evaluate_latents
from gym_mario_latent.levels import EMPTY_ID, GENERATOR_ALPHABETS, VAE_TILES, render_pixels
from gym_mario_latent.simulator_bridge import Simulator

GROUND, ENEMY, COIN = (VAE_TILES.index(tile) for tile in "XEo")


def _latents(n: int, z_dim: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, z_dim)).astype(np.float32)


def _field(z: np.ndarray) -> np.ndarray:
    """(n, 2) → (n, 14, 20) VAE ids: flat ground; a row of enemies where z[:, 0] > 0, else coins above."""
    levels = np.full((len(z), 14, 20), EMPTY_ID)
    levels[:, -2:, :] = GROUND
    for level, latent in zip(levels, z, strict=True):
        if latent[0] > 0:
            level[-3, 6:18:3] = ENEMY
        else:
            level[-6, 4:18] = COIN
    return levels


@pytest.fixture(scope="module")
def simulator():
    with Simulator(workers=2) as shared:
        yield shared


@pytest.fixture(scope="module")
def field_generator():
    return FunctionGenerator(_field, z_dim=2, shape=(14, 20))


def test_a_user_generator_passes_the_env_checker_and_runs_in_the_vector_env(field_generator, simulator):
    env = gym.make("MarioLatent-v0", generator=field_generator, simulator=simulator, observe_segment=True)
    try:
        check_env(env.unwrapped, skip_render_check=True)
        assert env.observation_space["segment"].shape == (14, 20) and env.action_space.shape == (2,)
        env.reset(seed=0)
        _, _, terminated, _, info = env.step(np.array([1.0, 0.0], dtype=np.float32))
        assert terminated and np.array_equal(info["segment"], _field(np.ones((1, 2)))[0])
    finally:
        env.close()
    vector = gym.make_vec("MarioLatentLevel-v0", num_envs=3, generator=field_generator, simulator=simulator)
    try:
        vector.reset(seed=0)
        actions = np.array([[1, 0], [-1, 0], [1, 0]], dtype=np.float32)
        _, rewards, _, _, infos = vector.step(actions)
        assert [level.shape for level in infos["level"]] == [(14, 20)] * 3
        assert rewards.shape == (3,) and np.all(rewards > 0)
    finally:
        vector.close()


def test_the_gan_by_name_makes_the_levels_of_the_shipped_gan_in_the_evaluator_and_the_env(simulator):
    gan = load_pretrained_gan()
    z = _latents(4, gan.z_dim)
    with LatentEvaluator(generator="gan", simulator=simulator) as evaluator:
        assert evaluator.z_dim == 32 and evaluator.scene_shape == (14, 28)
        batch = evaluator.evaluate_latents(z, measures=("enemies", "sky_tiles"))
    assert np.array_equal(batch.segments, gan.generate(z)) and batch.segments.shape == (4, 14, 28)
    assert all(telemetry.status in ("win", "lose", "timeout") for telemetry in batch.telemetry)
    env = gym.make(
        "MarioLatentLevel-v0", generator=gan, simulator=simulator, segments=3, render_mode="rgb_array"
    )
    try:
        env.reset(seed=0)
        for step in range(3):
            *_, info = env.step(z[step])
        assert np.array_equal(info["level"], np.concatenate(gan.generate(z[:3]), axis=1))
        assert env.render().shape == (14 * 16, 3 * 28 * 16, 3)
    finally:
        env.close()


def test_a_scene_of_k_segments_is_the_generators_segments_side_by_side_and_is_played_whole(simulator):
    gan = load_pretrained_gan()
    z = _latents(3, 2 * gan.z_dim, seed=1)
    with LatentEvaluator(generator=gan, simulator=simulator, scene_segments=2) as evaluator:
        assert evaluator.z_dim == 64 and evaluator.scene_shape == (14, 56)
        scenes = evaluator.evaluate_latents(z, measures=("enemies",))
    left, right = gan.generate(z[:, :32]), gan.generate(z[:, 32:])
    assert np.array_equal(scenes.segments, np.concatenate([left, right], axis=2))
    singles = simulator.evaluate_many(left)
    # the finish line of a scene is 28 columns (16 px each) further than that of its left segment alone
    assert [t.finish_x - s.finish_x for t, s in zip(scenes.telemetry, singles, strict=True)] == [28 * 16] * 3
    assert scenes.measures[:, 0].tolist() == [np.count_nonzero(scene == ENEMY) for scene in scenes.segments]


def test_every_persona_plays_every_level_in_one_batch_and_they_play_as_documented(field_generator, simulator):
    z = np.array([[1, 0], [-1, 0]], dtype=np.float32)  # an enemy field, a coin row
    personas = ["runner", "killer", "collector"]
    sent = simulator.levels_sent
    with LatentEvaluator(generator=field_generator, simulator=simulator) as evaluator:
        results = evaluator.evaluate_latents(z, measures=("kills", "coins"), agents=personas)
    assert simulator.levels_sent - sent == 6
    assert list(results) == personas
    for agent, batch in results.items():
        assert batch.agent == agent and batch.z is results["runner"].z and batch.measures.shape == (2, 2)
        assert {telemetry.agent for telemetry in batch.telemetry} == {agent}
    kills = {agent: batch.measures[0, 0] for agent, batch in results.items()}
    coins = {agent: batch.measures[1, 1] for agent, batch in results.items()}
    assert kills["killer"] > kills["runner"] and coins["collector"] > coins["runner"]


def test_evaluate_latents_takes_a_generator_and_agents_in_one_call(field_generator, simulator):
    one = evaluate_latents(np.ones((1, 2)), generator=field_generator, simulator=simulator)
    assert one.segments.shape == (1, 14, 20) and one.agent == simulator.settings.agent
    both = evaluate_latents(
        np.ones((1, 2)), generator=field_generator, simulator=simulator, agents=["killer"]
    )
    assert list(both) == ["killer"] and both["killer"].telemetry[0].agent == "killer"


def test_a_generator_of_the_mario_ai_alphabet_is_read_as_vae_tiles():
    mario_ai = GENERATOR_ALPHABETS["mario-ai"]

    def koopas(z: np.ndarray) -> np.ndarray:
        levels = np.full((len(z), 14, 10), mario_ai.index("-"))
        levels[:, -1, :] = mario_ai.index("X")
        levels[:, -2, 5] = mario_ai.index("k")  # a green koopa
        return levels

    generator = FunctionGenerator(koopas, z_dim=1, shape=(14, 10), alphabet="mario-ai")
    with LatentEvaluator(generator=generator, workers=1) as evaluator:
        (segment,) = evaluator.decode(np.zeros((1, 1)))
    assert segment[-2, 5] == ENEMY and np.all(segment[-1] == GROUND)


def test_bad_generators_and_arguments_get_one_clear_error(field_generator, simulator):
    liar = FunctionGenerator(lambda z: np.zeros((len(z), 14, 14), dtype=np.int64), z_dim=2, shape=(14, 20))
    promise = r"shape \(1, 14, 14\); it promised \(1, 14, 20\)"
    with (
        LatentEvaluator(generator=liar, simulator=simulator) as evaluator,
        pytest.raises(LevelFormatError, match=promise),
    ):
        evaluator.evaluate_latents(np.zeros((1, 2)))
    floats = FunctionGenerator(lambda z: np.full((len(z), 14, 20), 0.5), z_dim=2, shape=(14, 20))
    with (
        LatentEvaluator(generator=floats, simulator=simulator) as evaluator,
        pytest.raises(LevelFormatError, match="is not an integer"),
    ):
        evaluator.decode(np.zeros((1, 2)))
    outside = FunctionGenerator(lambda z: np.full((len(z), 14, 20), 11), z_dim=2, shape=(14, 20))
    with (
        LatentEvaluator(generator=outside, simulator=simulator) as evaluator,
        pytest.raises(LevelFormatError, match=r"outside 0\.\.10"),
    ):
        evaluator.decode(np.zeros((1, 2)))
    with pytest.raises(TypeError, match="is not a Generator: it has no shape, alphabet"):
        LatentEvaluator(generator=type("Half", (), {"z_dim": 2, "generate": None})(), simulator=simulator)
    with pytest.raises(ValueError, match="not both"):
        LatentEvaluator("pretrained", simulator, generator="gan")
    with pytest.raises(ValueError, match="scene_segments must be a positive integer"):
        LatentEvaluator(simulator=simulator, scene_segments=0)
    with pytest.raises(ValueError, match='decode="sample" needs a generator that samples'):
        gym.make("MarioLatent-v0", generator=field_generator, simulator=simulator, decode="sample")
    with LatentEvaluator(generator=field_generator, simulator=simulator) as evaluator:
        with pytest.raises(ValueError, match="unknown agent 'nobody'"):
            evaluator.evaluate_latents(np.zeros((1, 2)), agents=["nobody"])
        with pytest.raises(ValueError, match="distinct agent names"):
            evaluator.evaluate_latents(np.zeros((1, 2)), agents=["killer", "killer"])


def test_render_draws_the_last_games_path_on_the_level_picture(field_generator):
    env = gym.make("MarioLatentLevel-v0", generator=field_generator, segments=3, render_mode="rgb_array")
    try:
        env.reset(seed=0)
        untraced = env.render()
        env.step(np.array([-1, 0], dtype=np.float32))  # the coin row
        *_, info = env.step(np.array([1, 0], dtype=np.float32))  # the enemy field
        picture = env.render()
        game = env.unwrapped.episode.last_game
    finally:
        env.close()
    assert picture.shape == untraced.shape == (14 * 16, 3 * 20 * 16, 3)
    level_only = render_pixels(np.pad(info["level"], ((0, 0), (0, 20)), constant_values=EMPTY_ID))
    drawn = np.any(picture != level_only, axis=2)
    assert game.trace and drawn.sum() > 100
    # the path is drawn over the two segments played (columns 0-39), none over the one still to come
    assert drawn[:, : 40 * 16].any() and not drawn[:, 40 * 16 + 16 :].any()


def test_the_public_api_imports_from_the_latent_package_and_torch_only_on_first_use():
    probe = (
        "import sys, gym_mario_latent.latent as latent; assert 'torch' not in sys.modules; "
        "from gym_mario_latent.latent import LatentEvaluator, MarioLatentVectorEnv, make_archive; "
        "assert 'torch' in sys.modules; print(sorted(latent.__all__) == sorted(set(latent.__all__))"
        " and all(getattr(latent, name) is not None for name in latent.__all__))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "True", result.stderr
