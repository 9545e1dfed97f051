"""The Lost Levels on the real ROM: which stages it holds, that each stage ID loads its own level, the ending.

The Lost Levels ROM the package plays (the NROM conversion shipped in gym-super-mario-bros) has worlds 1-4:
these tests pin that, and the intro-area shift table (``Stage.area``) of both games, on the real ROMs.
"""

import pickle
import warnings

import gymnasium as gym
import pytest
from gymnasium.utils.env_checker import check_env

from gym_mario_latent.envs.random_stages import SuperMarioBrosRandomStagesEnv
from gym_mario_latent.envs.smb import SuperMarioBrosEnv
from gym_mario_latent.envs.smb_game import (
    AREA_DATA,
    AREA_TYPE,
    END_OF_WORLD_MODE,
    ENEMY_DATA,
    GAME_MODE,
    GAME_MODE_TASK,
    WORLD,
    Stage,
)
from gym_mario_latent.envs.vector import SuperMarioBrosRandomStagesVectorEnv
from gym_mario_latent.errors import StageError

RIGHT = 0b10000000
CASTLE = 3  # AREA_TYPE of a castle
LOST_LEVELS_STAGES = [f"{world}-{stage}" for world in range(1, 5) for stage in range(1, 5)]
SMB1_STAGES = [f"{world}-{stage}" for world in range(1, 9) for stage in range(1, 5)]
ENDING_FRAMES = 700  # 3-4's victory sequence reaches world 4 in 609 frames


@pytest.fixture(autouse=True)
def _needs_roms(smb_rom_path, lost_levels_rom_path):
    """Every test here runs on the real ROMs."""


def level_loaded(ram) -> tuple[bytes, bytes]:
    """The ROM addresses of the level and enemy data the game is playing: which level it is."""
    return bytes(ram[AREA_DATA]), bytes(ram[ENEMY_DATA])


def at_the_axe(target: str, lost_levels: bool) -> SuperMarioBrosEnv:
    """A full game (3 lives) from ``target``'s start, where Bowser's axe has just been touched."""
    env = SuperMarioBrosEnv(target, lost_levels=lost_levels, single_stage=False)
    env.reset(seed=0)
    env.ram[GAME_MODE], env.ram[GAME_MODE_TASK] = END_OF_WORLD_MODE, 0  # what the axe does in the game's code
    return env


def frames_in_the_victory_sequence(env: SuperMarioBrosEnv) -> int:
    """How long the game stays in its victory sequence, joypad untouched (up to ENDING_FRAMES)."""
    for frame in range(ENDING_FRAMES):
        if env.ram[GAME_MODE] != END_OF_WORLD_MODE:
            return frame
        env.game.emulator.frame_advance(0)
    return ENDING_FRAMES


@pytest.mark.parametrize(
    "game,stages", [("SuperMarioBros2", LOST_LEVELS_STAGES), ("SuperMarioBros", SMB1_STAGES)]
)
def test_every_stage_id_starts_in_its_stage_in_a_level_of_its_own_with_the_castle_at_w_4(game, stages):
    levels, castles = {}, set()
    for name in stages:
        env = gym.make(f"{game}-{name}-v0")
        _, info = env.reset()
        ram = env.unwrapped.ram
        assert (f"{info['world']}-{info['stage']}", info["time"] > 0) == (name, True)
        levels[name] = level_loaded(ram)
        if ram[AREA_TYPE] == CASTLE:
            castles.add(name)
        _, _, terminated, _, info = env.step(RIGHT)
        assert not terminated and info["time"] > 0
        env.close()
    # A wrong intro-area shift (Stage.area) makes two stages of a world load one level, or moves the castle.
    for world in {name.split("-")[0] for name in stages}:
        assert len({level for name, level in levels.items() if name.startswith(f"{world}-")}) == 4
    assert castles == {name for name in stages if name.endswith("-4")}
    if game == "SuperMarioBros2":
        assert len(set(levels.values())) == 16  # no level is played twice (SMB1 replays five: 5-3 is 1-3...)


def test_the_lost_levels_rom_has_worlds_1_to_4_only_and_no_ids_beyond():
    env = SuperMarioBrosEnv(lost_levels=True, single_stage=True)
    env.game.start(Stage(3, 2, lost_levels=True))
    water_3_2 = level_loaded(env.ram)
    for world in range(5, 9):  # what a stage ID of these worlds would start: the ROM's table sends it to 3-2
        env.game.start(Stage(world, 1, lost_levels=True))
        assert env.ram[WORLD] + 1 == world and level_loaded(env.ram) == water_3_2
    env.close()
    for name in ("5-1", "8-4", "9-1", "A-1", "D-4"):
        assert f"SuperMarioBros2-{name}-v0" not in gym.registry
        with pytest.raises(StageError, match=rf"stage '{name}' .*Lost Levels ROM holds worlds 1-4 only"):
            gym.make("SuperMarioBros2RandomStages-v0", stages=[name])


@pytest.mark.parametrize("target,lost_levels", [("4-4", True), ("8-4", False)])
def test_the_full_game_terminates_with_flag_get_at_the_last_castles_axe(target, lost_levels):
    env = at_the_axe(target, lost_levels)
    _, _, terminated, _, info = env.step(0)
    assert terminated and info["flag_get"] and f"{info['world']}-{info['stage']}" == target
    env.close()


def test_the_lost_levels_full_game_goes_on_after_3_4s_castle():
    env = at_the_axe("3-4", lost_levels=True)
    _, _, terminated, _, info = env.step(0)  # the step runs the victory sequence through
    assert not terminated and (info["world"], info["stage"], info["life"]) == (4, 1, 3)
    env.close()


def test_the_lost_levels_rom_plays_no_world_after_4_4s_castle():
    env = at_the_axe("3-4", lost_levels=True)
    assert frames_in_the_victory_sequence(env) < ENDING_FRAMES and env.ram[WORLD] + 1 == 4
    env.close()
    env = at_the_axe("4-4", lost_levels=True)
    assert frames_in_the_victory_sequence(env) == ENDING_FRAMES  # the game's ending, as after SMB1's 8-4
    env.close()


def test_lost_levels_random_stages_draw_from_the_16_stages_by_seed_and_pickle():
    env = gym.make("SuperMarioBros2RandomStages-v1")
    random_env = env.unwrapped
    assert isinstance(random_env, SuperMarioBrosRandomStagesEnv)
    assert (random_env.lost_levels, random_env.rom_mode, random_env.frame_skip) == (True, 1, 4)
    assert [str(stage) for stage in random_env.stages] == LOST_LEVELS_STAGES
    _, info = env.reset(seed=3)
    drawn = f"{info['world']}-{info['stage']}"
    assert drawn in LOST_LEVELS_STAGES
    assert env.reset(seed=3)[1]["world"] == info["world"]
    clone = pickle.loads(pickle.dumps(random_env))
    assert (clone.lost_levels, clone.stages) == (True, random_env.stages)
    _, info = clone.reset(seed=0, options={"stages": ["4-2"]})
    assert (info["world"], info["stage"]) == (4, 2)
    for closing in (env, clone):
        closing.close()
    no_frameskip = gym.make("SuperMarioBros2RandomStagesNoFrameskip-v0", stages=["2-1"]).unwrapped
    assert (no_frameskip.frame_skip, no_frameskip.lost_levels) == (1, True)
    assert pickle.loads(pickle.dumps(no_frameskip)).stages == (Stage(2, 1, lost_levels=True),)
    no_frameskip.close()


def test_lost_levels_random_stages_pass_the_env_checker_and_batch_in_the_vector_env():
    env = gym.make("SuperMarioBros2RandomStages-v0", stages=["1-1", "4-3"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_env(env.unwrapped, skip_render_check=True)
    env.close()
    envs = gym.make_vec("SuperMarioBros2RandomStages-v0", num_envs=2, stages=["2-2"])
    assert isinstance(envs, SuperMarioBrosRandomStagesVectorEnv)
    _, infos = envs.reset(seed=0)
    assert list(infos["world"]) == [2, 2] and list(infos["stage"]) == [2, 2]
    envs.close()
