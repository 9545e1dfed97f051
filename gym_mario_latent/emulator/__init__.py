"""The two NES emulators the envs can run on, and the choice between them.

- ``"native"`` (the default): our own core (C11, ``nes_core.c``), built as the optional extension ``_nes``.
- ``"nes-py"``: nes-py 9's emulator, the reference the identity tests compare against, and the fallback
  where the extension was not built (:func:`choose_emulator`).

Both offer what :class:`gym_mario_latent.envs.smb_game.MarioGame` drives: ``frame_advance``, ``reset``,
``dump_state`` / ``load_state``, ``ram_buffer`` and ``screen_buffer``. Snapshots of one do not load into
the other.
"""

from gym_mario_latent.emulator.native import (
    EMULATORS,
    NATIVE,
    NES_PY,
    NativeEmulator,
    choose_emulator,
    native_available,
)

__all__ = ["EMULATORS", "NATIVE", "NES_PY", "NativeEmulator", "choose_emulator", "native_available"]
