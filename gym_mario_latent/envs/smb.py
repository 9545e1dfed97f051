"""The Super Mario Bros Gymnasium environment over nes-py 9."""

from pathlib import Path
from typing import Any, ClassVar, NoReturn

import numpy as np
from gymnasium import Env
from gymnasium.spaces import Box
from nes_py import NESEnv
from nes_py.nes_env import SCREEN_SHAPE_24_BIT, SCREEN_SHAPE_GRAYSCALE
from numpy.lib.stride_tricks import as_strided

from gym_mario_latent.actions import check_action
from gym_mario_latent.emulator import NATIVE, NES_PY, NativeEmulator
from gym_mario_latent.envs.smb_game import REWARD_RANGE, MarioGame, Stage, parse_stage
from gym_mario_latent.envs.smb_tiles import TILES_SHAPE, read_tiles
from gym_mario_latent.envs.snapshots import MarioSnapshot, check_snapshot_fits, describe_stage
from gym_mario_latent.errors import EmulatorError, SnapshotError
from gym_mario_latent.levels import MARIO_ID
from gym_mario_latent.roms import LOST_LEVELS, SMB1, rom_path_for_mode
from gym_mario_latent.roms.ines import content_sha1, parse_header
from gym_mario_latent.viewer import Viewer

# Our observation modes, as the nes-py observation modes that produce them.
OBSERVATION_MODES = {"rgb": "rgb_array_contiguous", "rgb_view": "rgb_array", "grayscale": "grayscale"}
TILES_MODE = "tiles"  # the screen as level tiles read from RAM (envs/smb_tiles.py); single envs only
NES_FPS = 60
HUMAN_RENDER_SCALE = 3  # render_mode="human": window zoom (768 × 720: crisp pixels, fits a 1024 × 768 screen)


def as_stage(target: str | tuple[int, int] | Stage | None, lost_levels: bool) -> Stage | None:
    """Accept ``"4-2"``, ``(4, 2)`` or a :class:`Stage`; ``None`` means the whole game."""
    if target is None or isinstance(target, Stage):
        return target
    if isinstance(target, tuple):
        target = "-".join(map(str, target))
    return parse_stage(target, lost_levels)


class _RemovedMethod:
    """A class attribute that hides an inherited method: reading it raises AttributeError with the fix."""

    def __init__(self, fix: str) -> None:
        self.fix = fix

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> NoReturn:
        raise AttributeError(f"{self.name}() is not supported: {self.fix}")


class SuperMarioBrosEnv(NESEnv, Env[np.ndarray, int]):
    """Super Mario Bros (or The Lost Levels) on the NES, with start screens and cut-scenes skipped.

    ## Description
    The agent plays from the first controllable frame of the game (full-game IDs) or of one stage (stage IDs).
    The title screen, the between-lives screens, death animations, flagpole and castle sequences and area
    transitions (pipes, vines) are run through inside ``step`` and never shown to the agent.

    ## Action Space
    ``Discrete(256)``: the NES joypad as a bitmap (right, left, down, up, start, select, B, A from the high
    bit down). Wrap with :class:`gym_mario_latent.wrappers.JoypadSpace` and an action list from
    :mod:`gym_mario_latent.actions` for a small discrete space. Each step repeats the action for
    ``frame_skip`` frames (4 by default, 1 for ``NoFrameskip`` IDs).

    ## Observation Space
    ``Box(0, 255, (240, 256, 3), uint8)``: the screen, a fresh array each step (``observation_mode="rgb"``):
    one contiguous copy of the emulator's 32-bit screen seen as RGB (strides ``(1024, 4, -1)``; use
    ``np.ascontiguousarray`` where a library needs C order, e.g. ``torch.from_numpy``); with
    ``emulator="native"`` a C-ordered array (the same pixels).
    ``"rgb_view"`` returns nes-py's zero-copy view of the emulator screen instead, which the next step
    overwrites (a little faster; copy what you keep); ``"grayscale"`` a fresh ``(240, 256)`` array.
    ``"tiles"``: ``Box(0, 11, (14, 16), uint8)``, the screen as tile ids of the level alphabet read from
    RAM (0..10 as :data:`gym_mario_latent.levels.VAE_TILES`: ground, bricks, ``?`` blocks, pipes, coins,
    enemies, empty), with Mario marked as ``levels.MARIO_ID`` (11); rows as a VGLC level's (row 13 the
    ground's top row), columns from the screen's left edge. See :mod:`gym_mario_latent.envs.smb_tiles`.

    ## Rewards
    ``r = clip(v + c + d, -15, 15)`` over the frames of a step: ``v`` the change in ``x_pos`` (a frame that
    moves Mario more than 5 pixels, i.e. an area change or teleport, counts 0); ``c`` the change of the game
    clock (0 or negative); ``d = -15`` if Mario died during the step, else 0.

    ## Starting State
    The first frame at which the clock has ticked and Mario can move, in world 1-1 or in the target stage.

    ## Episode End
    Terminated: for full-game IDs when the last of 3 lives is lost or the last world's castle is won (8-4;
    4-4 in The Lost Levels, whose NES ROM has worlds 1-4 only); for stage and random-stage IDs on the
    first frame of a death or when the flag (or Bowser's axe) is reached. Running out of game time kills
    Mario, so it terminates too. Truncation only comes from a time limit you add
    (``gym.make(id, max_episode_steps=N)``).

    ## Info
    ``coins``, ``flag_get``, ``life`` (lives left: 3, 2, 1), ``score``, ``stage``, ``status`` (``small``,
    ``tall``, ``fireball``), ``time``, ``world``, ``x_pos``, plus ``y_pos``, ``area``, ``is_dying``,
    ``left_x_pos``.

    ## Arguments
    - ``target``: ``"W-S"`` or ``(W, S)`` to play one stage; ``None`` for the whole game.
    - ``lost_levels``: play Super Mario Bros.: The Lost Levels (worlds 1-4).
    - ``rom_mode``: 0 vanilla, 1 downsample, 2 pixel, 3 rectangle (variants generated from your ROM).
    - ``frame_skip``: frames per step.
    - ``render_mode``: ``None``, ``"rgb_array"`` (``render()`` returns the screen) or ``"human"``: a pygame
      window (the ``human`` extra) opens at the first frame, shows the screen at ``HUMAN_RENDER_SCALE`` (3)
      times its size, one frame per step at real speed (``metadata["render_fps"]``, 60 / ``frame_skip``),
      and closes with the env. Without pygame or a display it warns once (``DisplayWarning``, naming the
      fix) and goes on without a window.
    - ``rom_path``: an explicit ROM file (else found as :func:`gym_mario_latent.roms.find_rom` says).
    - ``observation_mode``: see Observation Space.
    - ``emulator``: ``"nes-py"`` (default) or ``"native"``, this package's own NES core (C, built at
      install): the same game bit for bit (tests/test_nes_core_identity.py), several times faster, since
      it draws only the frames that are observed. Snapshots of one do not load into the other.
    - ``single_stage``: one life, ending at the flag (``True``) or 3 lives across the game (``False``);
      ``None`` (default) means ``True`` with a ``target``, ``False`` without. ``target="4-1",
      single_stage=False`` plays the whole game from 4-1.

    ## Version History
    - v0–v3: ROM modes vanilla, downsample, pixel, rectangle.
    """

    metadata: ClassVar[dict] = {"render_modes": ["rgb_array", "human"], "render_fps": NES_FPS}
    reward_range = REWARD_RANGE
    # nes-py 9's NESEnv keeps Gym 0.x's seed(seed) (deprecated: it warns, then reseeds np_random). Gymnasium
    # 1.x seeds through reset(seed=...) only, and its env checker warns about any env with a callable `seed`;
    # hiding the method makes `env.seed` an AttributeError that says what to do instead.
    seed = _RemovedMethod("seed through reset(seed=...) (Gymnasium 1.x)")

    def __init__(
        self,
        target: str | tuple[int, int] | None = None,
        *,
        lost_levels: bool = False,
        rom_mode: int = 0,
        frame_skip: int = 4,
        render_mode: str | None = None,
        rom_path: str | None = None,
        observation_mode: str = "rgb",
        single_stage: bool | None = None,
        emulator: str = NES_PY,
    ) -> None:
        if emulator not in (NES_PY, NATIVE):
            raise EmulatorError(f"emulator {emulator!r} is not one of {[NES_PY, NATIVE]!r}")
        if observation_mode not in (*OBSERVATION_MODES, TILES_MODE):
            raise ValueError(
                f"observation_mode {observation_mode!r} is not one of {[*OBSERVATION_MODES, TILES_MODE]}"
            )
        if not isinstance(frame_skip, int) or frame_skip < 1:
            raise ValueError(f"frame_skip must be a positive integer, got {frame_skip!r}")
        self._init_kwargs = {
            "target": target,
            "lost_levels": lost_levels,
            "rom_mode": rom_mode,
            "frame_skip": frame_skip,
            "render_mode": render_mode,
            "rom_path": rom_path,
            "observation_mode": observation_mode,
            "single_stage": single_stage,
            "emulator": emulator,
        }
        self.stage = as_stage(target, lost_levels)
        rom = rom_path_for_mode(LOST_LEVELS if lost_levels else SMB1, rom_mode, rom_path)
        super().__init__(str(rom), render_mode=render_mode)
        rom_data = Path(rom).read_bytes()
        self.rom_sha1 = content_sha1(rom_data, parse_header(rom_data))  # what a snapshot loads into
        self.emulator = emulator
        if emulator == NATIVE:
            self._use_native_emulator(rom)
        self._screen_pixels = _screen_pixels(self.screen)
        self.lost_levels = lost_levels
        self.rom_mode = rom_mode
        self.frame_skip = frame_skip
        self.observation_mode = observation_mode
        self.metadata = {**self.metadata, "render_fps": NES_FPS / frame_skip}
        if observation_mode == TILES_MODE:
            self.observation_space = Box(low=0, high=MARIO_ID, shape=TILES_SHAPE, dtype=np.uint8)
        else:
            shape = SCREEN_SHAPE_GRAYSCALE if observation_mode == "grayscale" else SCREEN_SHAPE_24_BIT
            self.observation_space = Box(low=0, high=255, shape=shape, dtype=np.uint8)
        if single_stage is None:
            single_stage = self.stage is not None
        self.game = MarioGame(self._env, lost_levels=lost_levels, single_stage=single_stage)

    def _use_native_emulator(self, rom) -> None:
        """Swap nes-py's emulator for ours; frames are drawn only when the screen is read."""
        self._env.close()
        self._env = NativeEmulator(rom)
        self._env.drawing = False
        self.controllers = []
        self.screen = self._env.screen_buffer()
        self.ram = self._env.ram_buffer()

    def _draw_pending(self) -> None:
        if self.emulator == NATIVE:
            self._env.draw_pending()

    def observation(self, mode: str = OBSERVATION_MODES["rgb_view"], output: np.ndarray | None = None):
        """nes-py's screen reader (``mode`` one of nes-py's observation modes), the last frame drawn first."""
        self._draw_pending()
        return super().observation(mode, output)

    def __reduce__(self):
        """Pickle as the constructor call: an unpickled env is a fresh env that needs ``reset``."""
        return (_rebuild_env, (type(self), self._init_kwargs))

    def _observation(self) -> np.ndarray:
        if self.observation_mode == TILES_MODE:
            return read_tiles(self.game.ram)
        if self.observation_mode == "rgb" and self.emulator == NATIVE:
            return self._env.copy_screen_rgb()  # drawn if pending, converted in C into a C-ordered array
        if self.observation_mode == "rgb" and self._screen_pixels is not None:
            return self._screen_pixels.copy()[:, :, 2::-1]  # a memcpy: ~9x cheaper than converting pixels
        return self.observation(OBSERVATION_MODES[self.observation_mode])

    def _stage_for_episode(self, options: dict[str, Any] | None) -> Stage | None:
        """The stage the next episode starts in."""
        return self.stage

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict]:
        """Start an episode at the first controllable frame; ``seed`` seeds ``np_random``."""
        Env.reset(self, seed=seed)
        self.game.start(self._stage_for_episode(options))
        self.done = False
        if self.render_mode == "human":
            self.render()
        return self._observation(), self.game.info()

    def step(self, action: int) -> tuple[np.ndarray, float, bool, bool, dict]:
        """Hold ``action`` (a joypad bitmap, an integer 0–255) for ``frame_skip`` frames.

        Raises:
            ValueError: `action` is not an integer in 0..255 (no float, string or bool is converted).
        """
        if self.done:
            raise RuntimeError("cannot step an env whose episode has ended: call reset() first")
        action = check_action(action, self.action_space)
        if self.emulator == NATIVE and self.observation_mode != TILES_MODE:
            self._env.draw_after(self.frame_skip)  # the step's last frame, unless it stops early
        reward, terminated = self.game.step(action, self.frame_skip)
        self.done = terminated
        if self.render_mode == "human":
            self.render()
        return self._observation(), reward, terminated, False, self.game.info()

    def dump_state(self) -> MarioSnapshot:
        """Snapshot of the emulator and the episode bookkeeping; restore it with :meth:`load_state`.

        With ``emulator="native"`` it pickles, and ``snapshot.to_bytes()`` / ``snapshot.save(path)`` give it
        in the on-disk format of :mod:`gym_mario_latent.envs.snapshots`.
        """
        return MarioSnapshot(
            self.game.snapshot(),
            self.done,
            self.lost_levels,
            self.rom_mode,
            self.rom_sha1,
            self.game.single_stage,
            self.emulator,
        )

    def load_state(self, snapshot: MarioSnapshot | bytes) -> None:
        """Return to ``snapshot`` (a :meth:`dump_state` value or its ``to_bytes()``): replaying the same
        actions then gives the same trajectory, bit for bit.

        Raises:
            SnapshotError: the snapshot is of another emulator, game, ROM, ROM mode, stage or rules (one life
                or the whole game), or its bytes are not a snapshot this package version reads.
            TypeError: ``snapshot`` is neither.
        """
        if isinstance(snapshot, bytes | bytearray | memoryview):
            snapshot = MarioSnapshot.from_bytes(snapshot)
        check_snapshot_fits(snapshot, self)
        try:
            self.game.restore(snapshot.game)
        except ValueError as error:  # the native core checks its own state's size and header
            raise SnapshotError(
                f"the snapshot's machine state does not fit this build of the native core ({error}): "
                "another version of gym-mario-latent wrote it"
            ) from None
        self.done = snapshot.done

    def _starts_episodes_in(self, stage: Stage | None) -> bool:
        """Whether an episode of this env may start in ``stage`` (a snapshot's start stage)."""
        return stage == self.stage

    def _episodes_in_words(self) -> str:
        return describe_stage(self.stage, self.game.single_stage)

    def render(self) -> np.ndarray | None:
        """The screen (``"rgb_array"``), or show it in the window (``"human"``, see Arguments)."""
        self._draw_pending()
        if self.render_mode != "human":
            return super().render()
        if self.viewer is None:
            title = self.spec.id if self.spec is not None else type(self).__name__
            self.viewer = Viewer(
                title, scale=HUMAN_RENDER_SCALE, fps=self.metadata["render_fps"], on_no_display="warn"
            )
        self.viewer.show(self.screen)
        return None

    def close(self) -> None:
        """Release the emulator and any window; closing twice is harmless."""
        if self._env is not None:
            super().close()


def _screen_pixels(view: np.ndarray) -> np.ndarray | None:
    """The emulator's whole 32-bit screen as ``(240, 256, 4)`` bytes (B, G, R, unused), read through nes-py's
    RGB view of it; ``None`` where the view has another layout (big-endian machines)."""
    height, width, _ = view.shape
    if view.strides != (width * 4, 4, -1):
        return None
    return as_strided(view[:, :, ::-1], shape=(height, width, 4), strides=(width * 4, 4, 1), writeable=False)


def _rebuild_env(env_class: type, kwargs: dict) -> SuperMarioBrosEnv:
    return env_class(**kwargs)
