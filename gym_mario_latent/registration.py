"""Every environment ID of the package in one table, registered with Gymnasium on ``import gym_mario_latent``.

ID families (each also as a ``NoFrameskip`` twin that advances 1 frame per step instead of 4):

- ``SuperMarioBros-v{0..3}``: the whole game, 3 lives; v = ROM mode (vanilla, downsample, pixel, rectangle).
- ``SuperMarioBros-{W}-{S}-v{0..3}``: one stage, one life (W in 1..8, S in 1..4).
- ``SuperMarioBros2-v{0,1}`` and ``SuperMarioBros2-{W}-{S}-v{0,1}``: The Lost Levels (W in 1..4, see
  :data:`LOST_LEVELS_WORLDS`).
- ``SuperMarioBrosRandomStages-v{0..3}``, ``SuperMarioBros2RandomStages-v{0,1}``: one life in a stage drawn at
  each reset from the reset seed (any of the game's stages); ``options={"stages": ["1-4", ...]}`` restricts
  the draw.
- ``MarioLatent-v0``: a latent vector of the VAE → a level segment played by the A* agent (one per episode);
  ``MarioLatentLevel-v0``: the same, building a level of 10 segments per episode.
"""

from dataclasses import dataclass, field

import gymnasium as gym

SMB_ENTRY_POINT = "gym_mario_latent.envs.smb:SuperMarioBrosEnv"
RANDOM_STAGES_ENTRY_POINT = "gym_mario_latent.envs.random_stages:SuperMarioBrosRandomStagesEnv"
LATENT_ENTRY_POINT = "gym_mario_latent.latent.env:MarioLatentEnv"
# ``gym.make_vec(id, num_envs=N)`` builds the native vector env of the ID's entry point.
VECTOR_ENTRY_POINTS = {
    SMB_ENTRY_POINT: "gym_mario_latent.envs.vector:SuperMarioBrosVectorEnv",
    RANDOM_STAGES_ENTRY_POINT: "gym_mario_latent.envs.vector:SuperMarioBrosRandomStagesVectorEnv",
    LATENT_ENTRY_POINT: "gym_mario_latent.latent.vector:MarioLatentVectorEnv",
}

ROM_MODES = (0, 1, 2, 3)
LOST_LEVELS_ROM_MODES = (0, 1)
SMB1_WORLDS = range(1, 9)
# The Lost Levels ROM we play (the NROM conversion shipped in gym-super-mario-bros, on the SMB1 engine) holds
# worlds 1-4 only: its world table sends worlds 5-8 to levels of worlds 1-3 (mostly 3-2's), 9 and A-D (10-13)
# read past the table, and the game ends after 4-4's castle (tests/test_lost_levels.py checks it on the ROM).
# The Famicom Disk System original keeps the other worlds in separate disk files. Upstream 9.1's
# SuperMarioBros2-{5..9,A..D}-S IDs would play a wrong level, so there are none here.
LOST_LEVELS_WORLDS = range(1, 5)
STAGES = range(1, 5)
# The NES games: ID prefix, ROM modes, whether it is The Lost Levels.
NES_GAMES = (("SuperMarioBros", ROM_MODES, False), ("SuperMarioBros2", LOST_LEVELS_ROM_MODES, True))
FRAME_SKIPS = {"": 4, "NoFrameskip": 1}
LATENT_LEVEL_SEGMENTS = 10  # segments per episode of MarioLatentLevel-v0


@dataclass(frozen=True)
class EnvIdSpec:
    """One registered ID: its name, entry point and constructor keyword arguments."""

    env_id: str
    entry_point: str
    kwargs: dict = field(default_factory=dict)


def _family(
    game: str, entry_point: str, rom_modes: tuple[int, ...], stage: str = "", **kwargs
) -> list[EnvIdSpec]:
    """IDs ``{game}{NoFrameskip?}{-stage}-v{mode}`` for every frame skip and ROM mode."""
    suffix = f"-{stage}" if stage else ""
    return [
        EnvIdSpec(
            f"{game}{skip_name}{suffix}-v{mode}",
            entry_point,
            {**kwargs, "rom_mode": mode, "frame_skip": frame_skip},
        )
        for skip_name, frame_skip in FRAME_SKIPS.items()
        for mode in rom_modes
    ]


def game_worlds(lost_levels: bool) -> range:
    """The worlds of Super Mario Bros or of The Lost Levels."""
    return LOST_LEVELS_WORLDS if lost_levels else SMB1_WORLDS


def stage_names(lost_levels: bool) -> tuple[str, ...]:
    """Every stage of the game as ``"W-S"``, in play order."""
    return tuple(f"{world}-{stage}" for world in game_worlds(lost_levels) for stage in STAGES)


def all_env_ids() -> list[EnvIdSpec]:
    """The complete ID table."""
    table = []
    for game, rom_modes, lost_levels in NES_GAMES:
        game_kwargs = {"lost_levels": True} if lost_levels else {}
        table += _family(game, SMB_ENTRY_POINT, rom_modes, **game_kwargs)
        table += _family(f"{game}RandomStages", RANDOM_STAGES_ENTRY_POINT, rom_modes, **game_kwargs)
        for name in stage_names(lost_levels):
            table += _family(game, SMB_ENTRY_POINT, rom_modes, name, target=name, **game_kwargs)
    table.append(EnvIdSpec("MarioLatent-v0", LATENT_ENTRY_POINT, {"segments": 1}))
    table.append(EnvIdSpec("MarioLatentLevel-v0", LATENT_ENTRY_POINT, {"segments": LATENT_LEVEL_SEGMENTS}))
    return table


def register_all() -> None:
    """Register every ID with Gymnasium (idempotent)."""
    for spec in all_env_ids():
        if spec.env_id in gym.registry:
            continue
        gym.register(
            id=spec.env_id,
            entry_point=spec.entry_point,
            vector_entry_point=VECTOR_ENTRY_POINTS[spec.entry_point],
            kwargs=spec.kwargs,
        )
