"""Playability maps and playable sampling: the graph walk stays on playable cells, and the levels
``LatentEvaluator.sample_playable`` returns are won by the simulator's agent when played again."""

import itertools

import numpy as np
import pytest

from gym_mario_latent.errors import NoPlayableLevelError
from gym_mario_latent.latent.evaluation import LatentEvaluator
from gym_mario_latent.latent.playability import MapSpec, playable_path, playable_walk
from gym_mario_latent.simulator_bridge import Simulator


def test_the_playable_path_goes_round_unplayable_cells():
    spec = MapSpec(3, 1.0, (0.0, 0.0))
    playable = [True, False, True, True, False, True, True, True, True]  # a wall in the middle column
    assert playable_path(spec, playable, 0, 2) == [0, 3, 7, 5, 2]
    assert playable_path(spec, playable, 0, 1) is None
    assert playable_path(spec, [True, False, True, False, False, False, True, False, True], 0, 8) is None


def test_a_walk_steps_between_neighbouring_playable_cells_only():
    spec = MapSpec(6, 2.0, (0.0, 0.0))
    playable = np.random.default_rng(1).random(36) < 0.6
    walk = playable_walk(spec, playable, 200, np.random.default_rng(0))
    assert len(walk) == 200 and all(playable[cell] for cell in walk)
    for before, after in itertools.pairwise(walk):
        neighbours = [cell for cell, _ in spec.neighbours(before)]
        stuck = not any(playable[cell] for cell in neighbours)
        assert after in neighbours or (stuck and after == before)
    with pytest.raises(ValueError, match="no playable cell"):
        playable_walk(spec, np.zeros(36, dtype=bool), 5, np.random.default_rng(0))


def test_sampled_playable_levels_are_won_when_played_again():
    with LatentEvaluator("pretrained", workers=2) as evaluator:
        batch = evaluator.sample_playable(12, seed=3)
        assert batch.z.shape == (12, 2) and all(game.won for game in batch.telemetry)
        # the seed fixes the draws
        assert evaluator.sample_playable(12, seed=3).z.tolist() == batch.z.tolist()
        with pytest.raises(NoPlayableLevelError, match=r"only \d+ of 3 latents"):
            evaluator.sample_playable(5, seed=0, max_draws=3)
        with pytest.raises(ValueError, match="n must be a positive integer"):
            evaluator.sample_playable(0)
    with Simulator(workers=2) as simulator:  # a fresh simulator, no cache: the games are played again
        assert all(game.won for game in simulator.evaluate_many(list(batch.segments)))
