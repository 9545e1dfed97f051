"""The field's measures (latent/measures.py) on hand-made levels and telemetry with values worked by hand,
and the eight mechanics on real games of the simulator."""

import math

import numpy as np
import pytest
from simulator_support import flat_level, with_tiles

from gym_mario_latent.errors import LevelFormatError
from gym_mario_latent.latent import measures as m
from gym_mario_latent.levels import text_to_ids
from gym_mario_latent.simulator_bridge import Simulator, Telemetry
from gym_mario_latent.vae.data import load_vglc_level


def level(*rows: str) -> np.ndarray:
    return text_to_ids("\n".join(rows))


# -- content -------------------------------------------------------------------------------------------

# A 14 × 6 level: a question block and a coin in the sky (rows 0..7), an enemy on the ground (row 12)
# and one flying in row 7, a two-column pit in the bottom rows.
HAND_MADE = with_tiles(
    flat_level(width=6, ground_rows=2),
    {(1, 3): "?", (4, 5): "o", (2, 7): "E", (3, 8): "S", (0, 11): "E", (4, 12): "-", (5, 12): "-"},
)
HAND_MADE = with_tiles(HAND_MADE, {(4, 13): "-", (5, 13): "-"})


def test_sky_tiles_count_every_non_empty_tile_in_the_top_eight_rows():
    ids = text_to_ids(HAND_MADE)
    # rows 0..7 hold ?, o and E (row 7); the brick in row 8 is below the sky
    assert m.sky_tiles(ids) == 3
    assert m.sky_tiles(ids, sky_rows=9) == 4
    assert m.sky_tiles(load_vglc_level("mario-1-1")[:, 16:72]) == 1  # the Q block at column 22, row 5


def test_enemies_and_density_count_tiles():
    ids = text_to_ids(HAND_MADE)
    assert m.enemies(ids) == 2
    # 6 columns × 14 rows = 84 tiles; ground 2 × 6 − 4 pit tiles = 8, plus ?, o, E, S, E = 13
    assert m.density(ids) == pytest.approx(13 / 84)


def test_gaps_are_runs_of_columns_open_at_the_bottom():
    assert m.gaps(level("----", "X-XX")) == 1
    assert m.gaps(level("-----", "-X--X")) == 2
    assert m.gaps(level("---", "XXX")) == 0
    assert m.gaps(level("---", "EoX")) == 1  # an enemy or a coin is no ground


def test_linearity_of_a_flat_level_is_one_and_of_steps_as_worked_by_hand():
    assert m.linearity(text_to_ids(flat_level(width=14))) == 1.0
    # Surface heights 1, 1, 3, 3 (4 rows): the least-squares line is 0.8 x + 0.8 (slope Σ(x − 1.5)(h − 2)
    # / Σ(x − 1.5)² = 4 / 5), predicting 0.8, 1.6, 2.4, 3.2; residuals 0.2, 0.6, 0.6, 0.2, mean 0.4; so
    # linearity = 1 − 2 × 0.4 / (4 − 1) = 0.7333…
    steps = level("----", "--XX", "--XX", "XXXX")
    assert m.linearity(steps) == pytest.approx(1 - 0.8 / 3)
    # a perfect ramp is a line too; a single surface point as well
    assert m.linearity(level("---X", "--XX", "-XXX", "XXXX")) == pytest.approx(1.0)
    assert m.linearity(level("----", "--X-")) == 1.0


def test_linearity_stays_in_its_bounds_for_the_worst_zigzag():
    # heights 14, 1, 14, 1, … over 8 columns of a 14-row level: h = 7.5 + 6.5 (−1)^x, so the fit's slope
    # is 6.5 × Σ(x − 3.5)(−1)^x / Σ(x − 3.5)² = 6.5 × −4 / 42 = −0.619 and its intercept 9.667; the
    # residuals are ±4.333, 8.048, 5.571, 6.810 (each twice), mean 6.190, so 1 − 2 × 6.190 / 13 = 0.0476
    zigzag = np.full((14, 8), m.EMPTY_ID)
    zigzag[-1, :] = text_to_ids("X")[0, 0]
    zigzag[0, ::2] = text_to_ids("X")[0, 0]
    assert m.linearity(zigzag) == pytest.approx(1 / 21)


def test_leniency_weighs_power_ups_against_enemies_and_gaps_per_column():
    # 6 columns: one power-up block (+1), two enemies (−2), one gap (−1) → −2 / 6
    assert m.leniency(text_to_ids(HAND_MADE)) == pytest.approx(-2 / 6)
    assert m.leniency(level("?---", "XXXX")) == pytest.approx(1 / 4)


def test_tile_pattern_counts_slide_windows_inside_the_level():
    ids = level("X-X", "X-X")
    x, empty = 0, 2  # the tile ids of X and -
    assert m.tile_pattern_counts(ids, 1) == {x: 4, empty: 2}
    # 2×2 windows at columns 0..1 (X - / X -) and 1..2 (- X / - X), coded row by row in base 11
    assert m.tile_pattern_counts(ids, 2) == {
        x + empty * 11 + x * 121 + empty * 1331: 1,
        empty + x * 11 + empty * 121 + x * 1331: 1,
    }
    with pytest.raises(LevelFormatError, match="pattern size"):
        m.tile_pattern_counts(ids, 3)


def test_symmetric_kl_of_two_small_levels_as_worked_by_hand():
    # P = {X: 1/2, -: 1/2}, Q = {X: 1/4, -: 3/4}:
    # KL(P‖Q) = ½ ln 2 + ½ ln(2/3) = ½ ln(4/3) = 0.143841;  KL(Q‖P) = ¼ ln ½ + ¾ ln(3/2) = 0.130812
    # symmetric = ½ (0.143841 + 0.130812) = 0.137327 (epsilon moves it by ~1e-7)
    p, q = level("XX", "--"), level("X-", "--")
    assert m.tile_pattern_kl(p, q) == pytest.approx(0.137327, abs=1e-6)
    assert m.tile_pattern_kl(q, p) == pytest.approx(m.tile_pattern_kl(p, q))
    assert m.tile_pattern_kl(p, p) == 0.0


def test_kl_of_levels_sharing_no_pattern_is_set_by_epsilon():
    # all ground vs all sky, 4 tiles each: smoothed p = (4 + e, e) / (4 + 2e), q the reverse, so both
    # KLs are 4 / (4 + 2e) · ln((4 + e) / e) = (1 − 5e-7)(ln 4 + ln 1e6) = 15.201798 for e = 1e-6
    ground, sky = level("XX", "XX"), level("--", "--")
    expected = 4 / (4 + 2e-6) * math.log((4 + 1e-6) / 1e-6)
    assert m.tile_pattern_kl(ground, sky) == pytest.approx(expected, rel=1e-9)
    assert expected == pytest.approx(15.201798, abs=1e-6)


def test_kl_to_vglc_is_zero_for_the_reference_scene_itself():
    assert m.kl_to_vglc(load_vglc_level("mario-1-1")[:, 16:72], "mario-1-1") == 0.0
    assert m.kl_to_vglc(load_vglc_level("mario-1-3")[:, 16:72], "mario-1-3") == 0.0
    assert m.kl_to_vglc(load_vglc_level("mario-1-1")[:, 16:72], "mario-1-3") > 0.3
    assert m.reference_level("mario-1-1").shape == (14, 56)


def test_js_divergence_as_worked_by_hand_and_its_bounds():
    # P = {X: ½, -: ½}, Q = {X: 1}; M = {X: ¾, -: ¼}
    # KL(P‖M) = ½ log2(2/3) + ½ log2 2 = 0.207519; KL(Q‖M) = log2(4/3) = 0.415037; JS = 0.311278
    assert m.tile_pattern_js(level("X-"), level("XX"), pattern_size=1) == pytest.approx(0.311278, abs=1e-6)
    # two segments with no 2×2 pattern in common are 1 apart; a segment is 0 from itself
    assert m.tile_pattern_js(level("X-X", "X-X"), level("XXX", "XXX")) == pytest.approx(1.0)
    assert m.tile_pattern_js(level("X-X", "X-X"), level("X-X", "X-X")) == 0.0


# three 2 × 2 levels: a↔b differ at 1 of 4 tiles, a↔c at 4, b↔c at 3
A, B, C = level("XX", "--"), level("X-", "--"), level("--", "XX")


def test_pairwise_diversity_is_the_mean_share_of_differing_tiles():
    assert m.tile_distance(A, B) == 0.25
    # (1/4 + 4/4 + 3/4) / 3 = 2/3
    assert m.pairwise_diversity(np.stack([A, B, C])) == pytest.approx(2 / 3)
    assert m.pairwise_diversity(np.stack([A, A])) == 0.0
    with pytest.raises(LevelFormatError, match="at least two"):
        m.pairwise_diversity(A[None])
    with pytest.raises(LevelFormatError, match="one shape"):
        m.tile_distance(A, level("XXX", "---"))


def test_novelty_is_the_mean_distance_to_the_k_nearest():
    # from A: B at 0.25, C at 1.0, A itself at 0
    assert m.novelty(A, [B, C], k=1) == 0.25
    assert m.novelty(A, [B, C, A], k=2) == pytest.approx(0.125)
    assert m.novelty(A, [B, C], k=15) == pytest.approx(0.625)  # fewer than k: all of them
    with pytest.raises(ValueError, match="non-empty archive"):
        m.novelty(A, [])


# -- behaviour -----------------------------------------------------------------------------------------

KILLS_BY = {"stomp": 1, "fire": 0, "shell": 0, "bump": 0}


def test_the_eight_mechanics_as_bits_and_code():
    raw = {"jumps": 3, "max_air_time": 13, "max_jump_length": 120.0, "kills_by": KILLS_BY, "fall_kills": 2}
    raw |= {"mushrooms": 0, "tile_coins": 1}
    # jump, high jump (13 > 12 ticks), no long jump (120 is not over 120 px), stomp, no shell kill,
    # fall kill, no mushroom, coin
    bits = m.mechanics(raw)
    assert bits.tolist() == [1, 1, 0, 1, 0, 1, 0, 1]
    assert m.mechanics_code(bits) == 128 + 64 + 16 + 4 + 1
    assert m.mechanics(raw | {"tile_coins": 0, "coins": 5})[7] == 0  # coins from blocks are not LSI's coin
    assert m.mechanics_code([0] * 8) == 0 and m.mechanics_code([1] * 8) == 255
    with pytest.raises(ValueError, match="zeros or ones"):
        m.mechanics_code([2, 0, 0, 0, 0, 0, 0, 0])


@pytest.fixture(scope="module")
def goomba_game() -> Telemetry:
    """The A* agent on flat ground with two goombas ahead (a real game)."""
    rows = with_tiles(flat_level(width=30), {(12, 11): "E", (18, 11): "E"})
    with Simulator(1, padding=False) as simulator:
        return simulator.evaluate("\n".join(rows))


def test_behaviour_measures_read_a_real_game(goomba_game):
    assert m.jumps(goomba_game) == goomba_game.jumps >= 1
    kills = m.kill_counts(goomba_game)
    assert sum(kills[way] for way in ("stomp", "fire", "shell", "bump")) == goomba_game.kills_total
    assert kills["fall"] == goomba_game.raw["fall_kills"]
    bits = m.mechanics(goomba_game)
    assert bits[0] == 1 and bits[3] == int(kills["stomp"] > 0) and bits[5] == int(kills["fall"] > 0)
