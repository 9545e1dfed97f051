"""The latent-level envs for real: the pretrained VAE decodes, the jar's A* agent plays, rewards follow."""

from __future__ import annotations

import functools
import shutil
import sys
import warnings

import gymnasium as gym
import numpy as np
import psutil
import pytest
from gymnasium.utils.env_checker import check_env, env_render_passive_checker
from simulator_support import run_in_virtual_display

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.errors import DisplayWarning
from gym_mario_latent.latent.env import MarioLatentEnv
from gym_mario_latent.latent.evaluation import LatentEvaluator, evaluate_latents
from gym_mario_latent.latent.measures import tile_pattern_js as tile_pattern_divergence
from gym_mario_latent.latent.qd_measures import MEASURES, measure_bounds
from gym_mario_latent.latent.rewards import (
    EDPCG_BEHAVIOUR_GOAL,
    EDPCG_GOAL_DIVERGENCE,
    REWARD_PRESETS,
    behaviour_fun,
    content_fun,
    dtw_distance,
    needs_traces,
    reward_parts,
    segment_trace,
    trace_divergence,
)
from gym_mario_latent.levels import EMPTY_ID, GROUND_ID, text_to_ids
from gym_mario_latent.simulator_bridge import Simulator, Telemetry
from gym_mario_latent.vae import WINDOW, load_pretrained, pretrained_metadata


@pytest.fixture(scope="module")
def simulator():
    """One shared worker pool for the module's envs (each env would otherwise start its own JVM)."""
    with Simulator(workers=2) as simulator:
        yield simulator


def make(env_id: str = "MarioLatent-v0", **kwargs) -> gym.Env:
    return gym.make(env_id, disable_env_checker=True, **kwargs)


@pytest.fixture(scope="module")
def traced_simulator():
    """A worker that records the agent's path (the ``edpcg`` reward reads it)."""
    with Simulator(workers=1, trace=True) as simulator:
        yield simulator


@pytest.fixture
def latent_env(make_env):
    """:func:`make`, the env closed at teardown."""
    return functools.partial(make_env, make)


def episode(env: gym.Env, seed: int, actions: list[np.ndarray]) -> list[tuple]:
    """(observation, reward, terminated, info) of every step of one episode."""
    observation, _ = env.reset(seed=seed)
    steps = [(observation, 0.0, False, {})]
    for action in actions:
        observation, reward, terminated, _, info = env.step(action)
        steps.append((observation, reward, terminated, info))
        if terminated:
            break
    return steps


def assert_same(a, b) -> None:
    """Equal observations/infos: arrays element for element, dicts key for key."""
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            assert_same(a[key], b[key])
    elif isinstance(a, tuple):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            assert_same(x, y)
    elif isinstance(a, np.ndarray | list):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    else:
        assert a == b


def history_of(info: dict) -> list[np.ndarray]:
    """The earlier segments of the episode, cut from the level so far."""
    level = info["level"]
    return [level[:, x : x + WINDOW] for x in range(0, level.shape[1] - WINDOW, WINDOW)]


# -- the Gymnasium contract ----------------------------------------------------------------------------------


@pytest.mark.parametrize("observe_segment", [False, True])
@pytest.mark.parametrize("env_id", ["MarioLatent-v0", "MarioLatentLevel-v0"])
def test_both_ids_pass_gymnasiums_env_checker(env_id, observe_segment, simulator, latent_env):
    env = latent_env(env_id, observe_segment=observe_segment, simulator=simulator, render_mode="rgb_array")
    # the "human" render mode needs a display: checked in a virtual one below
    check_env(env.unwrapped, skip_render_check=True)
    env.reset(seed=0)
    env_render_passive_checker(env.unwrapped)
    expected = gym.spaces.Dict if observe_segment else gym.spaces.Box
    assert isinstance(env.observation_space, expected)


def test_stable_baselines3_env_checker_passes(simulator, make_env):
    from stable_baselines3.common.env_checker import check_env as sb3_check_env

    for observe_segment in (False, True):
        env = make_env(MarioLatentEnv, simulator=simulator, segments=3, observe_segment=observe_segment)
        sb3_check_env(env, warn=False)


SHOW_IN_A_WINDOW = """
import gymnasium as gym
from gymnasium.utils.env_checker import check_env
import gym_mario_latent
env = gym.make("MarioLatentLevel-v0", segments=3, render_mode="human")
check_env(env.unwrapped)  # every render mode, "human" included, on a real (virtual) display
env.reset(seed=0)
for _ in range(3):
    env.step(env.action_space.sample())
print("window", env.unwrapped.viewer.surface.get_size())
env.close()
"""


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (Debian package xvfb)")
def test_human_render_mode_shows_the_level_in_a_window_and_passes_the_full_checker():
    result = run_in_virtual_display(sys.executable, "-c", SHOW_IN_A_WINDOW)
    assert result.returncode == 0, result.stderr
    width, height = map(int, result.stdout.split("window (")[1].split(")")[0].split(","))
    assert height == 14 * 16 and width == 3 * 14 * 16


def test_human_render_mode_without_a_display_warns_with_the_fix_and_plays_on(
    simulator, monkeypatch, latent_env
):
    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(variable, raising=False)
    env = latent_env(simulator=simulator, render_mode="human")
    with pytest.warns(DisplayWarning, match="cannot open a window.*xvfb-run"):
        env.reset(seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # once is enough
        info = env.step(np.zeros(env.action_space.shape, dtype=np.float32))[4]
    assert "telemetry" in info  # the agent played the segment
    import pygame

    assert not pygame.display.get_init()  # SDL is left as it was, not on its offscreen driver


def test_rgb_array_render_is_the_level_so_far_with_sky_for_the_segments_to_come(simulator, latent_env):
    env = latent_env("MarioLatentLevel-v0", segments=3, simulator=simulator, render_mode="rgb_array")
    env.reset(seed=0)
    empty = env.render()
    assert empty.shape == (14 * 16, 3 * 14 * 16, 3)
    assert (empty == empty[0, 0]).all()  # all sky
    env.step(np.zeros(2, dtype=np.float32))
    frame = env.render()
    assert frame.shape == empty.shape
    assert (frame[:, : 14 * 16] != empty[:, : 14 * 16]).any()  # the first segment is drawn
    assert (frame[:, 14 * 16 :] == empty[:, 14 * 16 :]).all()  # the rest is still sky


# -- what a step does ----------------------------------------------------------------------------------------


def test_a_step_decodes_the_latent_plays_the_segment_and_reports_it_in_info(simulator):
    env = make(simulator=simulator)
    model = load_pretrained()
    z = np.array([0.3, -0.7], dtype=np.float32)
    observation, _ = env.reset(seed=0)
    assert observation.shape == (4, 2) and not observation.any()
    observation, reward, terminated, truncated, info = env.step(z)
    assert terminated and not truncated  # MarioLatent-v0: one segment per episode
    np.testing.assert_array_equal(observation[-1], z)
    assert not observation[:-1].any()
    np.testing.assert_array_equal(info["segment"], model.decode_levels(z[None])[0].numpy())
    np.testing.assert_array_equal(info["level"], info["segment"])
    direct = simulator.evaluate(info["segment"]).to_dict()
    assert info["telemetry"] == direct
    assert info["playable"] == (direct["status"] == "win")
    assert reward == info["reward_parts"]["reward"] == direct["completion"]


def test_the_level_env_builds_the_level_segment_by_segment_and_plays_the_last_two(simulator):
    env = make("MarioLatentLevel-v0", segments=4, simulator=simulator)
    rng = np.random.default_rng(3)
    env.reset(seed=0)
    for index in range(4):
        _, _, terminated, _, info = env.step(rng.uniform(-2, 2, 2).astype(np.float32))
        assert info["level"].shape == (14, 14 * (index + 1)) and info["segment_index"] == index
        np.testing.assert_array_equal(info["level"][:, -14:], info["segment"])
        played = info["level"][:, -28:]
        assert info["telemetry"] == simulator.evaluate(played).to_dict()
        assert terminated == (index == 3)
    with pytest.raises(RuntimeError, match="reset"):
        env.step(np.zeros(2, dtype=np.float32))
    assert (
        gym.make(
            "MarioLatentLevel-v0", segments=25, simulator=simulator
        ).unwrapped.episode.segments_per_episode
        == 25
    )


@pytest.mark.parametrize("preset", sorted(REWARD_PRESETS))
def test_every_reward_preset_equals_the_preset_applied_to_the_telemetry_in_info(
    preset, simulator, traced_simulator
):
    traced = needs_traces(REWARD_PRESETS[preset])
    shared = traced_simulator if traced else simulator
    env = make("MarioLatentLevel-v0", segments=5, reward=preset, simulator=shared)
    rng = np.random.default_rng(7)
    start = shared.padding.start
    for seed in range(3):
        traces = []
        for _, reward, _, info in episode(env, seed, list(rng.uniform(-3, 3, (5, 2)).astype(np.float32)))[1:]:
            telemetry = Telemetry.from_raw(info["telemetry"])
            assert (telemetry.trace is not None) == traced  # plain rewards play without the trace
            played = min(len(traces) + 1, 2) * 14
            traces.append(segment_trace(telemetry.trace, start + played - 14, 14))
            history = history_of(info)
            parts = reward_parts(REWARD_PRESETS[preset], telemetry, info["segment"], history, traces)
            assert parts == info["reward_parts"]
            assert reward == pytest.approx(sum(parts.values()))


def test_a_callable_reward_gets_the_telemetry_segment_and_history(simulator):
    seen = []

    def coins_and_width(telemetry, segment, history):
        seen.append((telemetry.status, segment.shape, len(history)))
        return {"coins": telemetry.coins, "width": len(history)}

    env = make("MarioLatentLevel-v0", segments=3, reward=coins_and_width, simulator=simulator)
    steps = episode(env, 0, [np.full(2, 0.5, np.float32)] * 3)
    assert [shape for _, shape, _ in seen] == [(14, 14)] * 3 and [n for *_, n in seen] == [0, 1, 2]
    assert [step[1] for step in steps[1:]] == [
        info["telemetry"]["coins"] + i for i, (*_, info) in enumerate(steps[1:])
    ]


def test_content_fun_rewards_segments_near_the_goal_divergence_from_the_recent_ones():
    flat = np.full((14, 14), EMPTY_ID)
    flat[-2:] = GROUND_ID
    assert tile_pattern_divergence(flat, flat) == 0.0
    walls = np.full((14, 14), GROUND_ID)
    assert tile_pattern_divergence(flat, walls) == pytest.approx(tile_pattern_divergence(walls, flat))
    assert 0 < tile_pattern_divergence(flat, walls) <= 1
    assert content_fun(flat, []) == 0.0  # nothing to compare with
    assert content_fun(flat, [flat, flat]) == 0.0  # a copy is no fun
    # a segment at exactly the goal divergence from each recent one earns the full weight: fun 1
    near = flat.copy()
    best = None
    for column in range(14):  # widen a pit column by column until the divergence passes the goal
        near[-2:, column] = EMPTY_ID
        divergence = tile_pattern_divergence(near, flat)
        if best is None or abs(divergence - EDPCG_GOAL_DIVERGENCE) < abs(best[0] - EDPCG_GOAL_DIVERGENCE):
            best = (divergence, near.copy())
    closest = 1 - abs(best[0] - EDPCG_GOAL_DIVERGENCE) / EDPCG_GOAL_DIVERGENCE
    weight = 1 - 1 / 5  # the most recent of the 4 compared segments
    assert content_fun(best[1], [flat]) == pytest.approx(min(weight, closest) / weight)
    assert content_fun(walls, [flat]) < 0  # far more different than the goal


def test_dtw_distance_of_tiny_paths_worked_by_hand():
    # a = 0, 1, 2 and b = 0, 2 on a line: 0↔0, 1↔2 (or 1↔0), 2↔2 costs 0 + 1 + 0 = 1
    a, b = np.array([[0.0], [1.0], [2.0]]), np.array([[0.0], [2.0]])
    assert dtw_distance(a, b, window=10) == pytest.approx(1.0)
    assert dtw_distance(b, a, window=10) == pytest.approx(1.0)
    # a band of 0 forces the diagonal (widened to the length difference, 1): still 1
    assert dtw_distance(a, b, window=0) == pytest.approx(1.0)
    # in 2-d the point distance is Euclidean: (0,0),(3,4) against (0,0),(0,0) costs 0 + 5
    assert dtw_distance(np.array([[0.0, 0], [3, 4]]), np.zeros((2, 2)), window=10) == pytest.approx(5.0)
    # the band forbids pairing ticks farther apart than the window: a path that waits then jumps
    waits = np.array([[0.0], [0], [0], [5]])
    jumps = np.array([[0.0], [5], [5], [5]])
    assert dtw_distance(waits, jumps, window=3) == pytest.approx(0.0)  # 0↔0 ×3 then 5↔5 ×3
    assert dtw_distance(waits, jumps, window=0) == pytest.approx(10.0)  # the diagonal: 0+5+5+0


def test_behaviour_fun_is_zero_for_identical_plays_and_follows_the_trace_divergence():
    ticks = np.arange(30, dtype=float)
    run = np.stack([ticks * 8, np.full(30, 160.0)], axis=1)  # pixels: half a tile per tick, on the ground
    # divergence of the same path is 0, so identical plays of consecutive segments earn no fun
    assert trace_divergence(run, run, columns=14) == 0.0
    assert behaviour_fun([run, run, run], columns=14) == 0.0
    assert behaviour_fun([run], columns=14) == 0.0  # nothing to compare with
    # a path 2 tiles higher all along: DTW pairs tick with tick, 2 tiles each, / (16 px × 14 columns)
    high = run - [0.0, 32.0]
    divergence = trace_divergence(run, high, columns=14)
    assert divergence == pytest.approx(30 * 2 / (16 * 14))
    weight = 1 - 1 / 5
    expected = min(weight, 1 - abs(divergence - EDPCG_BEHAVIOUR_GOAL) / EDPCG_BEHAVIOUR_GOAL) / weight
    assert behaviour_fun([run, high], columns=14) == pytest.approx(expected)
    # a segment the agent never entered is left out; the fun of one it never entered is 0
    assert behaviour_fun([np.empty((0, 2)), run, high], columns=14) == pytest.approx(expected)
    assert behaviour_fun([run, np.empty((0, 2))], columns=14) == 0.0


def test_segment_trace_keeps_the_ticks_on_the_segment_counted_from_its_first():
    trace = [[x, 100.0, 0] for x in (10.0, 40.0, 50.0, 70.0, 100.0)]  # pixels; tile columns 0, 2, 3, 4, 6
    np.testing.assert_array_equal(segment_trace(trace, 2, 3), [[0.0, 100], [10, 100], [30, 100]])
    assert segment_trace(trace, 7, 3).shape == (0, 2)  # never got there
    assert segment_trace(None, 0, 14).shape == (0, 2)


def test_edpcg_needs_traces_and_the_content_preset_does_not(simulator):
    with pytest.raises(ValueError, match="traces"):
        REWARD_PRESETS["edpcg"](Telemetry.from_raw({"status": "WIN"}), np.zeros((14, 14)), [])
    with pytest.raises(ValueError, match="trace=True"):  # a shared simulator that records no paths
        make("MarioLatentLevel-v0", reward="edpcg", simulator=simulator)


# -- actions -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (np.array([np.nan, 0.0], np.float32), "component 0 is nan"),
        (np.array([0.0, np.inf], np.float32), "component 1 is inf"),
        (np.zeros(3, np.float32), r"shape \(2,\).*got shape \(3,\)"),
        (np.zeros((1, 2), np.float32), r"got shape \(1, 2\)"),
    ],
)
def test_bad_actions_are_rejected_naming_the_problem(action, message, simulator):
    env = make(simulator=simulator)
    env.reset(seed=0)
    with pytest.raises(ValueError, match=message):
        env.step(action)


def test_actions_outside_the_bound_are_clipped(simulator):
    env = make(simulator=simulator, action_bound=1.5)
    env.reset(seed=0)
    _, _, _, _, far = env.step(np.array([9.0, -40.0], np.float32))
    env.reset(seed=0)
    _, _, _, _, edge = env.step(np.array([1.5, -1.5], np.float32))
    np.testing.assert_array_equal(far["z"], [1.5, -1.5])
    np.testing.assert_array_equal(far["segment"], edge["segment"])


def test_an_unplayable_segment_ends_the_episode_when_asked(simulator):
    with LatentEvaluator(simulator=simulator) as evaluator:
        grid = np.stack(np.meshgrid(np.linspace(-3, 3, 13), np.linspace(-3, 3, 13)), -1).reshape(-1, 2)
        batch = evaluator.evaluate_latents(grid)
    lost = [z for z, telemetry in zip(batch.z, batch.telemetry, strict=True) if not telemetry.won]
    won = [z for z, telemetry in zip(batch.z, batch.telemetry, strict=True) if telemetry.won]
    assert lost and won  # the latent space holds both kinds
    for terminate in (True, False):
        env = make(
            "MarioLatentLevel-v0",
            segments=3,
            play_last=1,
            terminate_on_unplayable=terminate,
            simulator=simulator,
        )
        env.reset(seed=0)
        _, _, terminated, _, info = env.step(won[0])
        assert not terminated and info["playable"]
        _, _, terminated, _, info = env.step(lost[0])
        assert info["telemetry"]["status"] != "win"
        assert not info["playable"] and terminated == terminate


# -- determinism, sampling and the cache ---------------------------------------------------------------------


def test_the_same_seed_and_actions_give_the_same_episode_and_sampling_seeds_differ(simulator):
    actions = list(np.random.default_rng(0).uniform(-2, 2, (6, 2)).astype(np.float32))
    for decode in ("argmax", "sample"):
        env = make(
            "MarioLatentLevel-v0", segments=6, decode=decode, simulator=simulator, observe_segment=True
        )
        first, again = episode(env, 11, actions), episode(env, 11, actions)
        for a, b in zip(first, again, strict=True):
            assert_same(a, b)
        other = episode(env, 12, actions)
        segments = [step[3]["segment"] for step in first[1:]]
        other_segments = [step[3]["segment"] for step in other[1:]]
        same = all((a == b).all() for a, b in zip(segments, other_segments, strict=True))
        assert same == (decode == "argmax")


def test_the_cache_answers_a_level_played_before_without_sending_it_to_java(simulator):
    env = make(simulator=simulator)
    evaluator = env.unwrapped.evaluator
    z = np.array([1.1, 0.4], np.float32)
    env.reset(seed=0)
    _, _, _, _, first = env.step(z)
    sent, hits = simulator.levels_sent, evaluator.cache_hits
    env.reset(seed=0)
    _, _, _, _, again = env.step(z + 1e-4)  # another latent, the same argmax segment
    assert simulator.levels_sent == sent and evaluator.cache_hits == hits + 1
    assert_same(first, again | {"z": first["z"]})
    uncached = make(simulator=simulator, cache_size=0)
    uncached.reset(seed=0)
    uncached.step(z)
    assert simulator.levels_sent == sent + 1 and uncached.unwrapped.evaluator.cache_hits == 0


def test_games_the_bridge_cut_short_are_not_cached():
    with Simulator(workers=1, wall_time_limit=1e-3) as impatient:  # every game hits the wall-time cap
        evaluator = LatentEvaluator(simulator=impatient)
        level = np.full((14, 14), EMPTY_ID)
        level[-1] = GROUND_ID
        (first,) = evaluator.play([level])
        sent = impatient.levels_sent
        (again,) = evaluator.play([level])
        assert first.status == again.status == "timeout" and first.reason is not None
        assert impatient.levels_sent == sent + 1 and evaluator.cache_hits == 0


def test_the_cache_is_bounded_and_drops_the_least_recently_used_level(simulator):
    evaluator = LatentEvaluator(simulator=simulator, cache_size=2)
    levels = [np.full((14, 14), EMPTY_ID) for _ in range(3)]
    for index, level in enumerate(levels):
        level[-1] = GROUND_ID
        level[5, index] = GROUND_ID
    evaluator.play(levels[:2])
    evaluator.play([levels[0]])  # levels[1] is now the least recently used
    evaluator.play([levels[2]])
    sent = simulator.levels_sent
    evaluator.play([levels[0], levels[2]])
    assert simulator.levels_sent == sent
    evaluator.play([levels[1]])
    assert simulator.levels_sent == sent + 1


# -- the vector env ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("decode", ["argmax", "sample"])
def test_the_vector_env_equals_single_envs_lane_for_lane(decode, simulator, make_env):
    lanes, steps = 3, 9
    options = {"segments": 3, "decode": decode, "terminate_on_unplayable": True, "observe_segment": True}
    vector = make_env(gym.make_vec, "MarioLatentLevel-v0", num_envs=lanes, simulator=simulator, **options)
    singles = [make("MarioLatentLevel-v0", simulator=simulator, **options) for _ in range(lanes)]
    actions = np.random.default_rng(5).uniform(-3, 3, (steps, lanes, 2)).astype(np.float32)
    observations, _ = vector.reset(seed=40)
    for lane, env in enumerate(singles):
        assert_same({k: v[lane] for k, v in observations.items()}, env.reset(seed=40 + lane)[0])
    ended = [False] * lanes
    lengths_seen = set()
    for step_actions in actions:
        observations, rewards, terminated, truncated, infos = vector.step(step_actions)
        for lane, env in enumerate(singles):
            if ended[lane]:  # NEXT_STEP autoreset: this step reset the lane
                observation, _ = env.reset()
                reward, lane_terminated, info = 0.0, False, None
            else:
                observation, reward, lane_terminated, _, info = env.step(step_actions[lane])
            assert_same({k: v[lane] for k, v in observations.items()}, observation)
            assert rewards[lane] == reward and terminated[lane] == lane_terminated and not truncated[lane]
            if info is not None:
                assert infos["_telemetry"][lane]
                assert infos["telemetry"]["status"][lane] == info["telemetry"]["status"]
                assert infos["telemetry"]["completion"][lane] == info["telemetry"]["completion"]
                np.testing.assert_array_equal(infos["segment"][lane], info["segment"])
                np.testing.assert_array_equal(infos["level"][lane], info["level"])
                assert infos["playable"][lane] == info["playable"]
                lengths_seen.add(info["level"].shape[1])
            else:
                assert "_telemetry" not in infos or not infos["_telemetry"][lane]
            ended[lane] = lane_terminated
    assert len(lengths_seen) > 1


def test_same_step_autoreset_resets_a_lane_in_the_step_that_ends_it(simulator, make_env):
    lanes = 2
    options = {"segments": 2, "terminate_on_unplayable": True}
    vector = make_env(
        gym.make_vec,
        "MarioLatentLevel-v0",
        num_envs=lanes,
        simulator=simulator,
        autoreset_mode="SameStep",
        **options,
    )
    assert vector.metadata["autoreset_mode"] == gym.vector.AutoresetMode.SAME_STEP
    singles = [make("MarioLatentLevel-v0", simulator=simulator, **options) for _ in range(lanes)]
    actions = np.random.default_rng(2).uniform(-3, 3, (6, lanes, 2)).astype(np.float32)
    vector.reset(seed=3)
    for lane, env in enumerate(singles):
        env.reset(seed=3 + lane)
    ended = 0
    for step_actions in actions:
        observations, rewards, terminated, _, infos = vector.step(step_actions)
        for lane, env in enumerate(singles):
            observation, reward, lane_terminated, _, info = env.step(step_actions[lane])
            assert rewards[lane] == reward and terminated[lane] == lane_terminated
            if lane_terminated:
                ended += 1
                assert infos["_final_obs"][lane] and infos["final_info"]["_telemetry"][lane]
                np.testing.assert_array_equal(infos["final_obs"][lane], observation)
                assert infos["final_info"]["telemetry"]["status"][lane] == info["telemetry"]["status"]
                np.testing.assert_array_equal(infos["final_info"]["level"][lane], info["level"])
                observation, _ = env.reset()
            else:
                assert infos["telemetry"]["completion"][lane] == info["telemetry"]["completion"]
            np.testing.assert_array_equal(observations[lane], observation)
    assert ended >= 3


def test_the_vector_env_decodes_once_and_plays_all_lanes_in_one_batch(simulator, monkeypatch, make_env):
    vector = make_env(gym.make_vec, "MarioLatent-v0", num_envs=8, simulator=simulator, cache_size=0)
    evaluator = vector.unwrapped.evaluator
    batches, decodes = [], []
    original_play, original_generate = evaluator.play, evaluator.generate
    monkeypatch.setattr(
        evaluator, "play", lambda levels: batches.append(len(levels)) or original_play(levels)
    )
    monkeypatch.setattr(
        evaluator, "generate", lambda z, g=None: decodes.append(len(z)) or original_generate(z, g)
    )
    vector.reset(seed=0)
    vector.step(vector.action_space.sample())
    assert batches == [8] and decodes == [8]


# -- the batch API -------------------------------------------------------------------------------------------


def test_evaluate_latents_scores_a_batch_with_objective_and_measures(simulator):
    z = np.random.default_rng(1).normal(size=(12, 2)).astype(np.float32)
    env = make(simulator=simulator)
    batch = env.unwrapped.evaluate_latents(z, measures=("jumps", "enemies", "sky_tiles"))
    assert batch.objective.shape == (12,) and batch.measures.shape == (12, 3)
    assert batch.measure_names == ("jumps", "enemies", "sky_tiles")
    for row in range(12):
        env.reset(seed=0)
        _, reward, _, _, info = env.step(z[row])
        assert batch.objective[row] == reward
        np.testing.assert_array_equal(batch.segments[row], info["segment"])
        telemetry, segment = batch.telemetry[row], batch.segments[row]
        assert batch.measures[row, 0] == telemetry.jumps
        assert batch.measures[row, 1] == np.count_nonzero(segment == text_to_ids("E")[0, 0])
        assert batch.measures[row, 2] == np.count_nonzero(segment[:8] != EMPTY_ID)
    everything = evaluate_latents(z[:3], "win", tuple(MEASURES), simulator=simulator)
    assert everything.measures.shape == (3, len(MEASURES))
    assert len(measure_bounds(MEASURES)) == len(MEASURES)
    with pytest.raises(ValueError, match="unknown measures"):
        env.unwrapped.evaluate_latents(z, measures=("fun",))
    with pytest.raises(ValueError, match="row 1"):
        env.unwrapped.evaluate_latents(np.array([[0, 0], [0, np.nan]], np.float32))


def test_the_32_dimensional_pretrained_vae_is_selectable_by_name(simulator):
    env = make(checkpoint="pretrained-32", simulator=simulator)
    assert env.action_space.shape == (32,) and env.observation_space.shape == (4, 32)
    env.reset(seed=0)
    _, reward, terminated, _, _ = env.step(np.zeros(32, np.float32))
    assert terminated and 0 <= reward <= 1
    two, thirty_two = pretrained_metadata("pretrained"), pretrained_metadata("pretrained-32")
    assert thirty_two["z_dim"] == 32 and thirty_two["config"]["z_dim"] == 32
    assert thirty_two["metrics"]["test_tile_accuracy"] >= two["metrics"]["test_tile_accuracy"] - 0.01
    with pytest.raises(ValueError, match="not a shipped model"):
        make(checkpoint="pretrained-7", simulator=simulator)


# -- lifetime ------------------------------------------------------------------------------------------------


def _java_children() -> set[int]:
    return {p.pid for p in psutil.Process().children(recursive=True) if "java" in p.name()}


def test_closing_stops_the_envs_own_jvms_and_leaves_a_shared_pool_running(simulator, latent_env, make_env):
    before = _java_children()
    own = latent_env("MarioLatent-v0")
    own.reset(seed=0)
    own.step(np.zeros(2, np.float32))
    assert _java_children() > before
    own.close()
    assert _java_children() == before
    shared = latent_env("MarioLatent-v0", simulator=simulator)
    shared.reset(seed=0)
    shared.close()
    assert simulator.worker_pids and set(simulator.worker_pids) <= _java_children()
    flat = np.full((14, 14), EMPTY_ID)
    flat[-1] = GROUND_ID
    assert simulator.evaluate(flat).won  # the shared pool still plays
    vector = make_env(gym.make_vec, "MarioLatent-v0", num_envs=2, workers=1)
    vector.close()
    assert _java_children() == before


def test_game_settings_go_to_the_own_simulator_and_are_refused_with_a_shared_one(simulator, latent_env):
    env = latent_env(node_budget=50, time_limit=5.0, agent="forward")
    settings = env.unwrapped.evaluator.simulator.settings
    assert (settings.node_budget, settings.time_limit, settings.agent) == (50, 5.0, "forward")
    with pytest.raises(ValueError, match="shared simulator"):
        make(simulator=simulator, node_budget=50)
    for bad in (
        {"decode": "mean"},
        {"segments": 0},
        {"history": 1.5},
        {"action_bound": -1},
        {"reward": "fun"},
    ):
        with pytest.raises(ValueError):
            make(simulator=simulator, **bad)


def test_edpcg_lanes_of_the_vector_env_on_the_32d_vae_get_the_single_envs_behaviour_fun(traced_simulator):
    options = {"checkpoint": "pretrained-32", "segments": 4, "reward": "edpcg", "simulator": traced_simulator}
    vector = gym.make_vec("MarioLatentLevel-v0", num_envs=2, **options)
    singles = [make("MarioLatentLevel-v0", **options) for _ in range(2)]
    try:
        vector.reset(seed=0)
        for single in singles:
            single.reset(seed=0)
        actions = np.random.default_rng(3).normal(size=(4, 2, 32)).astype(np.float32)
        behaviour = []
        for action in actions:
            _, rewards, _, _, infos = vector.step(action)
            for lane, single in enumerate(singles):
                _, reward, _, _, info = single.step(action[lane])
                assert reward == pytest.approx(rewards[lane])
                for name, part in info["reward_parts"].items():
                    assert infos["reward_parts"][name][lane] == pytest.approx(part)
                behaviour.append(info["reward_parts"]["behaviour_fun"])
        assert behaviour[:2] == [0.0, 0.0]  # the first segment has no earlier play to differ from
        assert any(value != 0.0 for value in behaviour[2:])  # the agent's paths differ on later ones
    finally:
        vector.close()
        for single in singles:
            single.close()
