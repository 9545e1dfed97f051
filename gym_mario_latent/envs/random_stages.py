"""Super Mario Bros with a stage drawn at random at every reset."""

from typing import Any

from gym_mario_latent.envs.smb import SuperMarioBrosEnv, as_stage
from gym_mario_latent.envs.smb_game import Stage

ALL_STAGES = tuple(f"{world}-{stage}" for world in range(1, 9) for stage in range(1, 5))


class SuperMarioBrosRandomStagesEnv(SuperMarioBrosEnv):
    """One life in one stage, the stage drawn at each reset from ``np_random`` (so from the reset seed).

    Everything else is as in :class:`SuperMarioBrosEnv` (stage IDs). The stages to draw from are
    ``stages`` (default: all 32), or ``options={"stages": [...]}`` for one reset. The drawn stage is in
    ``info["world"]`` and ``info["stage"]``.
    """

    def __init__(self, stages: list[str] | None = None, **kwargs: Any) -> None:
        self.stages = self._parse_stages(
            ALL_STAGES if stages is None else stages, kwargs.get("lost_levels", False)
        )
        super().__init__(target=None, single_stage=True, **kwargs)
        self._init_kwargs = {**self._init_kwargs, "stages": stages}
        del self._init_kwargs["target"], self._init_kwargs["single_stage"]

    @staticmethod
    def _parse_stages(stages: list[str] | tuple[str, ...], lost_levels: bool) -> tuple[Stage, ...]:
        if isinstance(stages, str) or not stages or any(stage is None for stage in stages):
            raise ValueError(f"stages must be a non-empty list like ['1-1', '4-2'], got {stages!r}")
        return tuple(as_stage(stage, lost_levels) for stage in stages)

    def _stage_for_episode(self, options: dict[str, Any] | None) -> Stage:
        pool = self.stages
        if options and options.get("stages") is not None:
            pool = self._parse_stages(options["stages"], self.lost_levels)
        return pool[int(self.np_random.integers(len(pool)))]
