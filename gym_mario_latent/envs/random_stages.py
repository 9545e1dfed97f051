"""Super Mario Bros (or The Lost Levels) with a stage drawn at random at every reset."""

from typing import Any

from gym_mario_latent.envs.smb import SuperMarioBrosEnv, as_stage
from gym_mario_latent.envs.smb_game import Stage
from gym_mario_latent.errors import StageError
from gym_mario_latent.registration import stage_names


class SuperMarioBrosRandomStagesEnv(SuperMarioBrosEnv):
    """One life in one stage, the stage drawn at each reset from ``np_random`` (so from the reset seed).

    Everything else is as in :class:`SuperMarioBrosEnv` (stage IDs). The stages to draw from are
    ``stages`` (default: every stage of the game, 32 in Super Mario Bros, 16 in The Lost Levels), or
    ``options={"stages": [...]}`` for one reset. The drawn stage is in ``info["world"]`` and
    ``info["stage"]``.

    Raises:
        StageError: ``stages`` is empty, holds ``None``, or names a stage the game does not have.
    """

    def __init__(self, stages: list[str] | None = None, **kwargs: Any) -> None:
        lost_levels = kwargs.get("lost_levels", False)
        self.stages = self._parse_stages(stage_names(lost_levels) if stages is None else stages, lost_levels)
        super().__init__(target=None, single_stage=True, **kwargs)
        # This class's own arguments (the parent's target and single_stage are fixed above): what pickling
        # passes back to the constructor.
        self._init_kwargs = {"stages": stages, **kwargs}

    @staticmethod
    def _parse_stages(stages: list[str] | tuple[str, ...], lost_levels: bool) -> tuple[Stage, ...]:
        if isinstance(stages, str) or not stages or any(stage is None for stage in stages):
            raise StageError(f"stages must be a non-empty list like ['1-1', '4-2'], got {stages!r}")
        return tuple(as_stage(stage, lost_levels) for stage in stages)

    def _stage_for_episode(self, options: dict[str, Any] | None) -> Stage:
        pool = self.stages
        if options and options.get("stages") is not None:
            pool = self._parse_stages(options["stages"], self.lost_levels)
        return pool[int(self.np_random.integers(len(pool)))]

    def _starts_episodes_in(self, stage: Stage | None) -> bool:
        return stage is not None  # reset(options={"stages": ...}) may start any stage of the game

    def _episodes_in_words(self) -> str:
        return "a stage drawn at each reset (one life)"
