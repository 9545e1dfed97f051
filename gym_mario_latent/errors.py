"""Every exception the package raises on purpose (and its one warning category), in one place.

Each class subclasses the built-in exception a caller would naturally catch
(``ValueError``, ``FileNotFoundError``, ``RuntimeError``), so
``except ValueError`` keeps working, while ``except GymMarioLatentError``
catches everything of ours.
"""

from gymnasium.error import ClosedEnvironmentError


class GymMarioLatentError(Exception):
    """Base class of every error raised on purpose by gym_mario_latent."""


# ROMs -----------------------------------------------------------------------


class RomError(GymMarioLatentError, ValueError):
    """A ROM file exists but is unusable (truncated, wrong game, PAL, unknown dump)."""


class RomNotFoundError(GymMarioLatentError, FileNotFoundError):
    """No ROM file could be found in any of the places we look."""


# Levels and the VAE ---------------------------------------------------------


class LevelFormatError(GymMarioLatentError, ValueError):
    """A level (text, array, tensor) does not fit the tile alphabet or shape."""


class LevelFileError(GymMarioLatentError, OSError):
    """A level file cannot be read (missing, a folder, unreadable, not UTF-8 text)."""


class PictureTooLargeError(GymMarioLatentError, ValueError):
    """A picture of levels would take more pixels than may be drawn (a huge level or tile size)."""


class CheckpointError(GymMarioLatentError, ValueError):
    """A VAE checkpoint is missing, corrupt, or does not match the requested model."""


# Files written ----------------------------------------------------------------


class OutputFileError(GymMarioLatentError, OSError):
    """A file cannot be written where asked: the path is a folder, a device or another file that is no
    regular file, or the write failed (a full disk); nothing was changed."""


# NES games ------------------------------------------------------------------


class StageError(GymMarioLatentError, ValueError):
    """A stage name (``"W-S"``) is malformed or names a stage the game does not have."""


class GameStuckError(GymMarioLatentError, RuntimeError):
    """The emulated game did not get where it must: it stayed in a title screen or cut-scene, or started in
    another stage than the one asked for (a broken ROM or RAM write)."""


# Emulators ------------------------------------------------------------------


class EmulatorError(GymMarioLatentError, ValueError):
    """An unknown emulator name, or a state of the other emulator given to one (the two formats differ)."""


class SnapshotError(GymMarioLatentError, ValueError):
    """A snapshot cannot be saved or loaded: nes-py's cannot leave its process; it is of another emulator,
    game, ROM, ROM mode, stage or rules than the env; its bytes are not a snapshot, of a format version this
    package does not read, truncated or corrupt."""


class EmulatorUnavailableError(GymMarioLatentError, RuntimeError):
    """The native NES core was asked for by name but its C extension was not built on this machine."""


class NativeCoreWarning(UserWarning):
    """The native NES core (the default emulator) cannot be loaded, e.g. the install had no C compiler: the
    NES envs fall back to nes-py, the same game about ten times slower. Warned once per process."""


# Simulator ------------------------------------------------------------------


class JavaRuntimeError(GymMarioLatentError, RuntimeError):
    """No usable Java runtime (missing or older than required)."""


class SimulatorBuildError(GymMarioLatentError, RuntimeError):
    """The simulator jar is missing and could not be built."""


class SimulatorError(GymMarioLatentError, RuntimeError):
    """A simulator worker failed, died, or answered with an error."""


class SimulatorTimeoutError(SimulatorError):
    """A level ran past the per-level wall-time cap; its worker was killed."""


class WorkerExitedError(SimulatorError):
    """A simulator worker process ended while it was playing a level (crashed or was killed)."""


# Envs ------------------------------------------------------------------------


class EnvClosedError(GymMarioLatentError, ClosedEnvironmentError, RuntimeError):
    """An env (or its evaluator) was asked to reset, step or evaluate after :meth:`close`; also Gymnasium's
    ``ClosedEnvironmentError``."""


class NoPlayableLevelError(GymMarioLatentError, RuntimeError):
    """Sampling for playable levels drew as many latents as it was allowed and found too few playable."""


# Explorer --------------------------------------------------------------------


class ExplorerError(GymMarioLatentError, ValueError):
    """The explorer cannot serve what it was given: a generator it cannot draw, a bad archive file, a request
    out of its bounds."""


# Play ------------------------------------------------------------------------


class DisplayError(GymMarioLatentError, RuntimeError):
    """No window can be opened: pygame is missing or there is no display."""


class DisplayWarning(UserWarning):
    """An env's ``render_mode="human"`` cannot open its window (same causes as :class:`DisplayError`): it
    keeps running and shows nothing."""
