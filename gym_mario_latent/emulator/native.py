"""Our NES core behind the interface MarioGame drives (nes-py's ``NativeEmulator`` methods)."""

import warnings
from os import PathLike
from pathlib import Path

import numpy as np

from gym_mario_latent.errors import EmulatorError, EmulatorUnavailableError, NativeCoreWarning

try:
    from gym_mario_latent.emulator import _nes
except ImportError as error:  # the optional extension was not compiled on this machine
    _nes = None
    _IMPORT_ERROR = str(error)

NATIVE = "native"
NES_PY = "nes-py"
SCREEN_HEIGHT, SCREEN_WIDTH = 240, 256


EMULATORS = (NATIVE, NES_PY)
_warned_fallback = False


def native_available() -> bool:
    """Whether the C extension was built (else only nes-py can run the games)."""
    return _nes is not None


def choose_emulator(emulator: str | None) -> str:
    """The emulator an env runs on: ``emulator`` itself, or for ``None`` the default, our core, falling back
    to nes-py (with one :class:`NativeCoreWarning` per process naming the reason) where it was not built.

    Raises:
        EmulatorError: ``emulator`` is neither ``"native"`` nor ``"nes-py"``.
    """
    global _warned_fallback
    if emulator is None:
        if _nes is not None:
            return NATIVE
        if not _warned_fallback:
            _warned_fallback = True
            warnings.warn(
                f"the native NES core cannot be loaded ({_IMPORT_ERROR}), so the NES envs run on nes-py, "
                "about 10x slower: reinstall with a C compiler (pip install -e .) to get it, or pass "
                f"emulator={NES_PY!r} to choose nes-py without this warning",
                NativeCoreWarning,
                stacklevel=3,
            )
        return NES_PY
    if emulator not in EMULATORS:
        raise EmulatorError(f"emulator {emulator!r} is not one of {list(EMULATORS)!r}")
    return emulator


class NativeState(bytes):
    """A snapshot of our core: the machine state as bytes (loads only into our core, same ROM)."""


class NativeEmulator:
    """One cartridge on our NES core.

    With ``drawing = False`` frames run without drawing; the screen readers (``copy_screen_*``, and
    :meth:`draw_pending` before reading ``screen_buffer``) then draw the last frame on demand, so a picture
    is only made when one is looked at, and it is the same picture.

    Args:
        rom_path: an iNES file of a mapper 0 (NROM) game.

    Raises:
        EmulatorUnavailableError: the extension was not built.
        ValueError: the file is not an NROM iNES image.
    """

    def __init__(self, rom_path: str | PathLike) -> None:
        if _nes is None:
            raise EmulatorUnavailableError(
                f"the native NES core is not built ({_IMPORT_ERROR}): reinstall with a C compiler "
                "(pip install -e .) or choose emulator='nes-py'"
            )
        self._core = _nes.Core(Path(rom_path).read_bytes())
        self._ram = np.frombuffer(self._core.ram(), dtype=np.uint8)
        pixels = np.frombuffer(self._core.screen(), dtype=np.uint32)
        self._pixels = pixels.reshape(SCREEN_HEIGHT, SCREEN_WIDTH)
        self._drawing = True
        # the C methods themselves: no Python frame per call
        self.frame_advance = self._core.frame_advance
        self.run_ahead = self._core.run_ahead

    def reset(self) -> None:
        """Reset the console (the CPU to the reset vector; RAM keeps its contents)."""
        self._core.reset()

    def frame_advance(self, action: int) -> None:  # replaced per instance by the C method
        """Run one frame holding ``action`` (joypad bitmap), drawing it if ``drawing``."""
        self._core.frame_advance(action)

    def run_ahead(self, action: int, frames: int) -> list[bytes]:  # replaced per instance by the C method
        """Run ``frames`` frames holding ``action`` in one call (the GIL released for all of them, drawn as
        :meth:`frame_advance` draws); return the RAM after each. :meth:`rewind` can then keep fewer."""
        return self._core.run_ahead(action, frames)

    def rewind(self, kept: int) -> None:
        """Keep only the first ``kept`` frames of the last :meth:`run_ahead`, as if the others never ran.

        Raises:
            ValueError: something ran since that call, or ``kept`` is not in 1..frames.
        """
        self._core.rewind(kept)

    @property
    def drawing(self) -> bool:
        """Whether every frame is drawn (else only the one :meth:`draw_after` names, or on demand)."""
        return self._drawing

    @drawing.setter
    def drawing(self, value: bool) -> None:
        self._drawing = bool(value)
        self._core.set_drawing(self._drawing, 0)

    def draw_after(self, frames: int) -> None:
        """Draw the ``frames``-th next frame (the one a step will end on, if it runs to its end)."""
        self._core.set_drawing(self._drawing, frames)

    def draw_pending(self) -> None:
        """Draw the last frame if it ran undrawn (``screen_buffer`` then shows it)."""
        self._core.finish_drawing()

    def copy_screen_rgb(self, output: np.ndarray | None = None) -> np.ndarray:
        """The last frame as a C-contiguous ``(240, 256, 3)`` RGB array (into ``output`` if given)."""
        return self._copy_screen(output, (SCREEN_HEIGHT, SCREEN_WIDTH, 3), self._core.copy_rgb)

    def copy_screen_grayscale(self, output: np.ndarray | None = None) -> np.ndarray:
        """The last frame as ``(240, 256)`` luma, nes-py's weights (into ``output`` if given)."""
        return self._copy_screen(output, (SCREEN_HEIGHT, SCREEN_WIDTH), self._core.copy_gray)

    def copy_screen_resized_grayscale(self, output: np.ndarray) -> np.ndarray:
        """The last frame shrunk to ``output``'s ``(height, width)`` and in grayscale, into ``output``: the
        pixels ``cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA)`` then Gymnasium's
        ``GrayscaleObservation`` give (the same arithmetic, in one pass).

        Raises:
            ValueError: ``output`` is not a C-ordered uint8 array of height 1..240 and width 32..256.
        """
        if output.dtype != np.uint8:
            raise ValueError(f"output must be a uint8 array, got {output.dtype}")
        self._core.copy_small_gray(output)
        return output

    @staticmethod
    def _copy_screen(output: np.ndarray | None, shape: tuple, copy) -> np.ndarray:
        if output is None:
            output = np.empty(shape, dtype=np.uint8)
        elif output.shape != shape or output.dtype != np.uint8:
            raise ValueError(f"output must be a {shape} uint8 array, got {output.shape} {output.dtype}")
        copy(output)
        return output

    def run(self, action: int, frames: int, draw_last: bool = True) -> None:
        """Run ``frames`` frames holding ``action``, drawing only the last (if ``draw_last``); no GIL."""
        self._core.run(action, frames, draw_last)

    def ram_buffer(self) -> np.ndarray:
        """The 2 KiB work RAM, a writable view."""
        return self._ram

    def screen_pixels(self) -> np.ndarray:
        """The screen as ``(240, 256)`` 32-bit words ``0x00RRGGBB`` (a view)."""
        return self._pixels

    def screen_buffer(self) -> np.ndarray:
        """The screen as a ``(240, 256, 3)`` RGB view over the 32-bit words, laid out as nes-py's."""
        as_bytes = self._pixels.view(np.uint8).reshape(SCREEN_HEIGHT, SCREEN_WIDTH, 4)
        return as_bytes[:, :, 2::-1] if np.little_endian else as_bytes[:, :, 1:]

    def dump_state(self) -> NativeState:
        """The whole machine as bytes."""
        return NativeState(self._core.dump_state())

    def load_state(self, state: bytes) -> None:
        """Restore a state from :meth:`dump_state`.

        Raises:
            EmulatorError: ``state`` is not a snapshot of this core (e.g. one of nes-py's).
        """
        if not isinstance(state, bytes):
            raise EmulatorError(
                f"this snapshot ({type(state).__name__}) was not taken by the native emulator: "
                "snapshots load only into the emulator that took them"
            )
        self._core.load_state(state)

    def close(self) -> None:
        """Nothing to release beyond memory (kept for nes-py's interface)."""
