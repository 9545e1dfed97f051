"""Our NES core against nes-py 9: the same ROM, start and joypad input give the same RAM after every frame.

Each test plays seeded random SIMPLE_MOVEMENT / COMPLEX_MOVEMENT input on both emulators side by side
(gym_mario_latent/envs/emulator_identity.py), through MarioGame's title-screen and cut-scene skipping, deaths,
game over and snapshot reloads, and compares the 2 KiB RAM after every frame either emulator runs, plus each
step's reward, termination and info: 221 197 frames in all (about 5 minutes on this 2-core machine), and
for six stages the screen of every frame, pixel for pixel. The longer run is benchmarks/nes_identity.py.
"""

import pytest

from gym_mario_latent.actions import COMPLEX_MOVEMENT, SIMPLE_MOVEMENT
from gym_mario_latent.emulator import NativeEmulator, native_available
from gym_mario_latent.envs.emulator_identity import emulators_for, play_side_by_side
from gym_mario_latent.envs.smb_game import Stage
from gym_mario_latent.errors import EmulatorError
from gym_mario_latent.registration import STAGES, game_worlds
from gym_mario_latent.roms import rom_path_for_mode
from gym_mario_latent.roms.known_dumps import SMB1
from gym_mario_latent.wrappers import JoypadSpace

pytestmark = pytest.mark.skipif(not native_available(), reason="the native NES core was not built")


def bitmaps(movement: list[list[str]]) -> list[int]:
    """Joypad bitmaps of an action list."""
    buttons = JoypadSpace._button_map
    return [sum(buttons[name] for name in combo) for combo in movement]


def assert_identical(report) -> None:
    assert report.divergence is None, f"after {report.frames} identical frames: {report.divergence}"


def test_power_on_title_screen_and_three_lives_of_the_whole_game(smb_rom_path):
    report = play_side_by_side(
        *emulators_for(smb_rom_path),
        stages=[None],
        actions=bitmaps(COMPLEX_MOVEMENT),
        steps_per_stage=2500,
        seed=20,
        single_stage=False,
        snapshot_every=97,
    )
    assert_identical(report)
    assert report.frames > 10_000


def test_deaths_game_over_and_a_new_game(smb_rom_path):
    report = play_side_by_side(
        *emulators_for(smb_rom_path),
        stages=[None],
        actions=bitmaps([["right"], ["right", "B"]]),  # into the first goomba, life after life
        steps_per_stage=600,
        seed=21,
        single_stage=False,
        snapshot_every=41,
    )
    assert_identical(report)
    assert report.episodes >= 2, "the play should reach a game over and start again"


@pytest.mark.parametrize("world", game_worlds(lost_levels=False))
def test_every_stage_of_a_world(smb_rom_path, world):
    report = play_side_by_side(
        *emulators_for(smb_rom_path),
        stages=[Stage(world, stage) for stage in STAGES],
        actions=bitmaps(SIMPLE_MOVEMENT),
        steps_per_stage=1000,
        seed=world,
        snapshot_every=61,
    )
    assert_identical(report)
    assert report.frames > 4 * 1000 * 3


@pytest.mark.parametrize("world", game_worlds(lost_levels=True))
def test_every_lost_levels_stage_of_a_world(lost_levels_rom_path, world):
    report = play_side_by_side(
        *emulators_for(lost_levels_rom_path),
        stages=[Stage(world, stage, lost_levels=True) for stage in STAGES],
        actions=bitmaps(COMPLEX_MOVEMENT),
        steps_per_stage=700,
        seed=100 + world,
        lost_levels=True,
        snapshot_every=53,
    )
    assert_identical(report)


def test_every_drawn_screen_is_nes_pys_pixel_for_pixel(smb_rom_path, lost_levels_rom_path):
    """Overworld, underground, water, castle, the last castle and a Lost Levels stage, each frame drawn by
    both emulators and compared (the scroll split under the status bar, sprites in front and behind)."""
    stages = [Stage(1, 1), Stage(1, 2), Stage(2, 2), Stage(4, 4), Stage(8, 4)]
    report = play_side_by_side(
        *emulators_for(smb_rom_path),
        stages=stages,
        actions=bitmaps(COMPLEX_MOVEMENT),
        steps_per_stage=150,
        seed=30,
        screens=True,
        snapshot_every=37,
    )
    assert_identical(report)
    lost = play_side_by_side(
        *emulators_for(lost_levels_rom_path),
        stages=[Stage(3, 1, lost_levels=True)],
        actions=bitmaps(COMPLEX_MOVEMENT),
        steps_per_stage=150,
        seed=31,
        lost_levels=True,
        screens=True,
    )
    assert_identical(lost)
    assert report.screens > 5 * 150 * 3 and lost.screens > 150 * 3


@pytest.mark.parametrize("rom_mode", [1, 2, 3])
def test_generated_rom_modes(smb_rom_path, rom_mode):
    report = play_side_by_side(
        *emulators_for(rom_path_for_mode(SMB1, rom_mode, smb_rom_path)),
        stages=[Stage(1, 1), Stage(4, 2)],
        actions=bitmaps(SIMPLE_MOVEMENT),
        steps_per_stage=300,
        seed=rom_mode,
    )
    assert_identical(report)


def test_a_snapshot_of_one_emulator_is_refused_by_the_other(smb_rom_path):
    reference, ours = emulators_for(smb_rom_path)
    with pytest.raises(EmulatorError, match="not taken by the native emulator"):
        ours.load_state(reference.dump_state())
    with pytest.raises(TypeError):
        reference.load_state(ours.dump_state())
    with pytest.raises(ValueError, match="not a state of this emulator core"):
        ours.load_state(ours.dump_state()[:-1])


def test_the_core_refuses_a_file_that_is_not_an_nrom_image(tmp_path):
    not_a_rom = tmp_path / "x.nes"
    not_a_rom.write_bytes(b"hello")
    with pytest.raises(ValueError, match="not an iNES ROM image"):
        NativeEmulator(not_a_rom)
