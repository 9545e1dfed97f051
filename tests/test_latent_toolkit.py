"""The latent API with any generator (the VAE, the GAN, a user's function), k-segment scenes and personas,
on the real models and the real jar."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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
README = Path(__file__).resolve().parents[1] / "README.md"


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


def _readme_generator_example() -> str:
    """The user-generator example of README.md's "Latent PCG research" section."""
    section = README.read_text(encoding="utf-8").split("## Latent PCG research", 1)[1]
    return next(
        block for block in re.findall(r"```python\n(.*?)```", section, re.S) if "FunctionGenerator(" in block
    )


def test_the_readme_generator_passes_the_env_checker_and_runs_in_the_vector_env(simulator):
    namespace: dict = {}
    exec(_readme_generator_example(), namespace)  # makes `generator` and `env`
    env, generator = namespace["env"], namespace["generator"]
    try:
        check_env(env.unwrapped, skip_render_check=True)
        assert env.action_space.shape == (4,) and env.observation_space.shape == (4, 4)
        env.reset(seed=0)
        _, reward, terminated, _, info = env.step(np.array([2, 0, 0, 0], dtype=np.float32))  # four steps
        assert terminated and info["segment"].shape == (14, 16) and reward == 1.0
        assert info["segment"][8, 9:12].tolist() == [GROUND] * 3 and info["segment"][7, 9] == EMPTY_ID
    finally:
        env.close()
    vector = gym.make_vec(
        "MarioLatentLevel-v0", num_envs=3, generator=generator, simulator=simulator, observe_segment=True
    )
    try:
        assert vector.single_observation_space["segment"].shape == (14, 16)
        vector.reset(seed=0)
        actions = np.array([[0, 0, 0, 0], [1, 0, 0, 0], [2, 0, 0, 0]], dtype=np.float32)
        observations, rewards, _, _, infos = vector.step(actions)
        assert [level.shape for level in infos["level"]] == [(14, 16)] * 3 and np.all(rewards == 1.0)
        assert np.array_equal(observations["segment"], generator.generate(actions))
    finally:
        vector.close()


def test_a_user_generator_runs_in_the_env_with_its_own_level_shape(field_generator, simulator):
    env = gym.make("MarioLatent-v0", generator=field_generator, simulator=simulator, observe_segment=True)
    try:
        assert env.observation_space["segment"].shape == (14, 20) and env.action_space.shape == (2,)
        observation, _ = env.reset(seed=0)
        assert observation["segment"].shape == (14, 20)
        _, _, terminated, _, info = env.step(np.array([1.0, 0.0], dtype=np.float32))
        assert terminated and np.array_equal(info["segment"], _field(np.ones((1, 2)))[0])
    finally:
        env.close()


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
        default = evaluator.evaluate_latents(z)  # the simulator's agent, astar: two new games
        again = evaluator.evaluate_latents(z, agents=[simulator.settings.agent])  # the same two, cached
    assert simulator.levels_sent - sent == 8 and again["astar"].telemetry == default.telemetry
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


def _killer_on_enemy_scene(alphabet: str, enemy: str) -> tuple[np.ndarray, dict[str, int], set[str]]:
    """The VAE scene, the killer's kills by enemy and the sprite kinds seen in its game on a 2-segment scene
    of flat ground with an ``enemy`` in each segment, made by a generator of ``alphabet``."""
    tiles = GENERATOR_ALPHABETS[alphabet]

    def flat_with_enemy(z: np.ndarray) -> np.ndarray:
        levels = np.full((len(z), 14, 10), tiles.index("-"))
        levels[:, -1, :] = tiles.index("X")
        levels[:, -2, 5] = tiles.index(enemy)
        return levels

    generator = FunctionGenerator(flat_with_enemy, z_dim=1, shape=(14, 10), alphabet=alphabet)
    with LatentEvaluator(generator=generator, scene_segments=2, workers=1, trace=True) as evaluator:
        batch = evaluator.evaluate_latents(np.zeros((1, 2)), agents=["killer"])["killer"]
    (game,) = batch.telemetry
    return batch.segments[0], game.kills, {sprite.kind for tick in game.sprites() for sprite in tick}


def test_a_mario_ai_generator_is_measured_as_vae_tiles_but_plays_its_own_koopas():
    segment, kills, kinds = _killer_on_enemy_scene("mario-ai", "k")  # a green koopa in each segment
    assert segment.shape == (14, 20) and np.all(segment[-1] == GROUND)
    assert segment[-2, 5] == segment[-2, 15] == ENEMY  # measured as the VAE's enemy
    assert kills["koopa"] > 0 and kills["goomba"] == 0 and {"green_koopa", "shell"} <= kinds
    vae_segment, vae_kills, vae_kinds = _killer_on_enemy_scene("vglc", "E")  # the same level in VAE ids
    np.testing.assert_array_equal(vae_segment, segment)
    assert vae_kills["goomba"] > 0 and vae_kills["koopa"] == 0
    assert "goomba" in vae_kinds and not any("koopa" in kind or kind == "shell" for kind in vae_kinds)


def test_a_mario_ai_generator_needs_a_simulator_that_reads_mario_ai_text(simulator):
    generator = FunctionGenerator(
        lambda z: np.zeros((len(z), 14, 10), dtype=np.int64), z_dim=1, shape=(14, 10), alphabet="mario-ai"
    )
    with pytest.raises(ValueError, match='share a simulator started with alphabet="mario-ai"'):
        LatentEvaluator(generator=generator, simulator=simulator)


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
