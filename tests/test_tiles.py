"""observation_mode="tiles": the NES screen as level-alphabet tiles, checked against the shipped VGLC 1-1."""

import warnings

import numpy as np
import pytest
import torch
from gymnasium.utils.env_checker import check_env

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.envs import smb_game
from gym_mario_latent.envs.smb_tiles import TILES_SHAPE, tiles_to_level
from gym_mario_latent.levels import EMPTY_ID, MARIO_ID, TILE_IDS, render_level
from gym_mario_latent.vae import load_pretrained
from gym_mario_latent.vae.data import load_vglc_level

RIGHT, JUMP = 0b10000000, 0b00000001
ENEMY, QUESTION, COIN_QUESTION, GROUND = (TILE_IDS[char] for char in "E?QX")
FIRST_GOOMBA_COLUMN = 22  # where VGLC 1-1 puts it (row 12)


@pytest.fixture(autouse=True)
def _needs_rom(smb_rom_path):
    """Every test here runs on the real ROM."""


@pytest.fixture(scope="module")
def vglc_1_1() -> np.ndarray:
    return load_vglc_level("mario-1-1")


def first_column(info: dict) -> int:
    """The level column under the screen's left edge (Mario's x minus his x on the screen)."""
    return (info["x_pos"] - info["left_x_pos"]) // 16


def without_sprites(tiles: np.ndarray, vglc_window: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both grids with the cells of Mario and of enemies (in either) set to empty: they move."""
    moving = (tiles == MARIO_ID) | (tiles == ENEMY) | (vglc_window == ENEMY)
    return np.where(moving, EMPTY_ID, tiles), np.where(moving, EMPTY_ID, vglc_window)


def test_tiles_at_the_start_of_1_1_are_the_vglc_level_with_mario_marked(vglc_1_1, make_env):
    env = make_env("SuperMarioBros-1-1-v0", observation_mode="tiles")
    tiles, info = env.reset(seed=0)
    assert tiles.shape == TILES_SHAPE == (14, 16) and tiles.dtype == np.uint8
    assert env.observation_space.contains(tiles)
    assert first_column(info) == 0
    mario = np.argwhere(tiles == MARIO_ID)
    assert mario.tolist() == [[12, (info["x_pos"] + 8) // 16]]  # small Mario: one tile, on the ground
    level = tiles_to_level(tiles)
    assert np.array_equal(level, vglc_1_1[:, :16])  # ground row, sky, nothing else yet
    assert (level[13] == GROUND).all()
    assert render_level(level).size == (16 * 16, 14 * 16)


def test_walking_right_shows_the_first_question_blocks_and_goomba_where_vglc_has_them(vglc_1_1, make_env):
    env = make_env("SuperMarioBros-1-1-v0", observation_mode="tiles")
    tiles, info = env.reset(seed=0)
    goomba_seen_at = None
    for _ in range(300):
        first = first_column(info)
        window = vglc_1_1[:, first : first + 16]
        ours, theirs = without_sprites(tiles, window)
        assert np.array_equal(ours, theirs), f"screen from column {first}:\n{ours}\nVGLC:\n{theirs}"
        enemies = np.argwhere(tiles == ENEMY)
        if goomba_seen_at is None and len(enemies):
            goomba_seen_at = [(int(row), first + int(column)) for row, column in enemies]
        tiles, _, terminated, _, info = env.step(RIGHT)
        if terminated:  # walked into the goomba
            break
    assert terminated
    assert len(goomba_seen_at) == 1
    row, column = goomba_seen_at[0]
    assert row == 12 and abs(column - FIRST_GOOMBA_COLUMN) <= 1  # it walks towards Mario from its spawn
    assert first + 15 >= 24  # the last screen compared held all of the first blocks, "Q" to "S?SQS"
    assert COIN_QUESTION in ours[9] and QUESTION in ours[9] and COIN_QUESTION in ours[5]


def test_jumping_moves_mario_s_mark_up_in_his_column(make_env):
    env = make_env("SuperMarioBros-1-1-v0", observation_mode="tiles")
    tiles, info = env.reset(seed=0)
    for _ in range(6):
        tiles, *_, info = env.step(JUMP)
    (row, column), *rest = np.argwhere(tiles == MARIO_ID).tolist()
    assert not rest and row < 11 and column == (info["x_pos"] + 8) // 16 - first_column(info)


def test_a_tile_window_goes_into_the_vae_as_the_vglc_window_does(vglc_1_1, make_env):
    env = make_env("SuperMarioBros-1-1-v0", observation_mode="tiles")
    tiles, _ = env.reset(seed=0)
    vae = load_pretrained()
    windows = torch.as_tensor(np.stack([tiles_to_level(tiles)[:, :14], vglc_1_1[:, :14]]))
    z = vae.encode(windows).mean
    assert z.shape == (2, vae.z_dim) and torch.equal(z[0], z[1])


def test_big_mario_is_marked_two_tiles_tall(make_env):
    env = make_env("SuperMarioBros-1-1-v0", observation_mode="tiles")
    env.reset(seed=0)
    ram = env.unwrapped.game.ram
    ram[smb_game.PLAYER_SIZE], ram[smb_game.PLAYER_STATUS] = 0, 1  # what eating a mushroom leaves
    tiles, *_, info = env.step(0)
    assert info["status"] == "tall"
    column = (info["x_pos"] + 8) // 16 - first_column(info)
    assert np.argwhere(tiles == MARIO_ID).tolist() == [[11, column], [12, column]]


def test_gymnasium_env_checker_passes_in_tiles_mode(make_env):
    env = make_env("SuperMarioBros-1-1-v0", observation_mode="tiles")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_env(env.unwrapped, skip_render_check=True)
