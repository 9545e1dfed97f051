"""The native vector envs' autoreset modes, and how a same-step reset reports the ended episode."""

from typing import Any

from gymnasium.vector import AutoresetMode

AUTORESET_MODES = (AutoresetMode.NEXT_STEP, AutoresetMode.SAME_STEP)


def checked_autoreset_mode(mode: AutoresetMode | str) -> AutoresetMode:
    """``mode`` as an :class:`AutoresetMode` (``"NextStep"``, ``"SameStep"`` or the enum); else ValueError."""
    try:
        checked = AutoresetMode(mode)
    except ValueError:
        checked = None
    if checked not in AUTORESET_MODES:
        raise ValueError(
            f"autoreset_mode must be one of {[known.value for known in AUTORESET_MODES]}, got {mode!r}"
        )
    return checked


def same_step_info(reset_info: dict[str, Any], final_obs: Any, final_info: dict[str, Any]) -> dict[str, Any]:
    """A lane's info for a step that ended its episode and reset it at once, as Gymnasium 1.x's
    ``SyncVectorEnv`` names it: the new episode's reset info, plus ``final_obs`` and ``final_info`` (the
    ended episode's last observation and info)."""
    return {**reset_info, "final_obs": final_obs, "final_info": final_info}
