"""Every environment ID of the package in one table, registered with Gymnasium on ``import gym_mario_latent``.

ID families (each also as a ``NoFrameskip`` twin that advances 1 frame per step instead of 4):

- ``SuperMarioBros-v{0..3}``: the whole game, 3 lives; v = ROM mode (vanilla, downsample, pixel, rectangle).
- ``SuperMarioBros-{W}-{S}-v{0..3}``: one stage, one life (W in 1..8, S in 1..4).
- ``SuperMarioBros2-v{0,1}`` and ``SuperMarioBros2-{W}-{S}-v{0,1}``: The Lost Levels (worlds 1..8).
- ``SuperMarioBrosRandomStages-v{0..3}``: one life in a stage drawn at each reset from the reset seed;
  ``options={"stages": ["1-4", ...]}`` restricts the draw.
- ``MarioLatent-v0``: a latent vector of the VAE → a level segment played by the A* agent (one per episode);
  ``MarioLatentLevel-v0``: the same, building a level of 10 segments per episode.
"""

from dataclasses import dataclass, field

import gymnasium as gym

SMB_ENTRY_POINT = "gym_mario_latent.envs.smb:SuperMarioBrosEnv"
RANDOM_STAGES_ENTRY_POINT = "gym_mario_latent.envs.random_stages:SuperMarioBrosRandomStagesEnv"
LATENT_ENTRY_POINT = "gym_mario_latent.envs.latent:MarioLatentEnv"
# ``gym.make_vec(id, num_envs=N)`` builds the native vector env of the ID's entry point.
VECTOR_ENTRY_POINTS = {
    SMB_ENTRY_POINT: "gym_mario_latent.envs.vector:SuperMarioBrosVectorEnv",
    RANDOM_STAGES_ENTRY_POINT: "gym_mario_latent.envs.vector:SuperMarioBrosRandomStagesVectorEnv",
    LATENT_ENTRY_POINT: "gym_mario_latent.envs.latent_vector:MarioLatentVectorEnv",
}

ROM_MODES = (0, 1, 2, 3)
LOST_LEVELS_ROM_MODES = (0, 1)
WORLDS = range(1, 9)
STAGES = range(1, 5)
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


def all_env_ids() -> list[EnvIdSpec]:
    """The complete ID table."""
    table = _family("SuperMarioBros", SMB_ENTRY_POINT, ROM_MODES)
    table += _family("SuperMarioBros2", SMB_ENTRY_POINT, LOST_LEVELS_ROM_MODES, lost_levels=True)
    table += _family("SuperMarioBrosRandomStages", RANDOM_STAGES_ENTRY_POINT, ROM_MODES)
    for world in WORLDS:
        for stage in STAGES:
            name = f"{world}-{stage}"
            table += _family("SuperMarioBros", SMB_ENTRY_POINT, ROM_MODES, name, target=name)
            table += _family(
                "SuperMarioBros2",
                SMB_ENTRY_POINT,
                LOST_LEVELS_ROM_MODES,
                name,
                target=name,
                lost_levels=True,
            )
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
