"""Super Mario Bros game logic over an NES emulator (nes-py's or ours): RAM map, skipping, reward, info.

This module knows the game; it never draws, never owns Gymnasium spaces. The single env (``smb.py``) and the
vector env both drive :class:`MarioGame`, so they share one definition of reward, termination and info.

RAM addresses are the community's SMB1 RAM map (the same the Lost Levels engine uses).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gym_mario_latent.errors import GameStuckError, StageError
from gym_mario_latent.registration import STAGES, game_worlds

# --- RAM map ------------------------------------------------------------------------------------------
PLAYER_STATE = 0x000E  # 0x06 dead, 0x08 normal, 0x0B dying, 0x00-0x05/0x07 busy (pipes, vines, auto-walk...)
FLOAT_STATE = 0x001D  # 0x03 while sliding down a flagpole
ENEMY_TYPES = range(0x0016, 0x001B)  # the five enemy slots
X_PAGE = 0x006D
X_IN_PAGE = 0x0086
Y_VIEWPORT = 0x00B5  # 1 on screen, > 1 below the screen (falling in a pit)
# ROM addresses (little-endian) of the loaded area's level and enemy data: which level is being played.
AREA_DATA = slice(0x00E7, 0x00E9)
ENEMY_DATA = slice(0x00E9, 0x00EB)
Y_PIXEL = 0x03B8
SCREEN_LEFT_X = 0x071C
AREA_TYPE = 0x074E  # of the area loaded: 0 water, 1 ground, 2 underground, 3 castle
LIVES = 0x075A  # 2, 1, 0 for three lives; 0xFF after the last one is lost
PLAYER_STATUS = 0x0756  # 0 small, 1 tall, 2 fireball
STAGE = 0x075C
WORLD = 0x075F
AREA = 0x0760
GAME_MODE = 0x0770  # 1 playing, 2 end of world cut-scene
GAME_MODE_TASK = 0x0772  # the step within GAME_MODE (Bowser's axe sets mode 2, task 0)
PRE_LEVEL_TIMER = 0x07A0
CHANGE_AREA_TIMER = 0x06DE
SCORE_DIGITS = slice(0x07DE, 0x07E4)
COIN_DIGITS = slice(0x07ED, 0x07EF)
TIME_DIGITS = slice(0x07F8, 0x07FB)

# The screen's tiles and sprites (read by smb_tiles for observation_mode="tiles").
METATILE_BUFFER = slice(0x0500, 0x06A0)  # 2 pages x 13 rows x 16 columns of metatile ids, screen rows 2-14
METATILE_PAGES, METATILE_ROWS, METATILE_COLUMNS = 2, 13, 16
SCREEN_LEFT_PAGE = 0x071A  # with SCREEN_LEFT_X: the level x of the screen's left edge
PLAYER_SIZE = 0x0754  # 0 big (two tiles tall), 1 small
ENEMY_DRAWN = range(0x000F, 0x0014)  # per enemy slot: non-zero while the slot holds a live object
ENEMY_STATES = range(0x001E, 0x0023)
ENEMY_STOMPED = 0x04  # state of a flat goomba or a still shell
ENEMY_DEFEATED_BIT = 0x20  # state bit of an enemy falling off the screen, defeated
ENEMY_X_PAGES = range(0x006E, 0x0073)
ENEMY_X_IN_PAGES = range(0x0087, 0x008C)
ENEMY_Y_VIEWPORTS = range(0x00B6, 0x00BB)  # 1 on screen
ENEMY_Y_PIXELS = range(0x00CF, 0x00D4)
HOSTILE_ENEMIES = frozenset(range(0x00, 0x16)) | {0x2D}  # koopas ... Bowser's flame (0x15), and Bowser

STATE_DEAD = 0x06
STATE_DYING = 0x0B
BUSY_STATES = frozenset({0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x07})
STAGE_END_ENEMIES = frozenset({0x2D, 0x31})  # Bowser, flagpole
END_OF_WORLD_MODE = 2
SLIDING_FLAGPOLE = 3

# --- joypad bits ----------------------------------------------------------------------------------------
BUTTON_START = 0b00001000
NOOP = 0

# --- reward ---------------------------------------------------------------------------------------------
DEATH_PENALTY = -15
REWARD_RANGE = (-15.0, 15.0)
MAX_X_SPEED_PER_FRAME = 5  # pixels; a larger jump in one frame is an area change or teleport, not motion

# Cut-scenes and title screens end within a few hundred frames; this many means the game is stuck.
MAX_SKIPPED_FRAMES = 20_000

STATUS_NAMES = {0: "small", 1: "tall"}  # anything else is "fireball"

# Stages whose area index is shifted by an extra intro area (the pipe cut-scene before x-2).
SMB1_SHIFTED_WORLDS = frozenset({1, 2, 4, 7})
LOST_LEVELS_SHIFTED_WORLDS = frozenset({1, 3})


def _digits(ram: bytes, digits: slice) -> int:
    """The decimal number the game stores one digit per byte."""
    value = 0
    for digit in ram[digits]:
        value = value * 10 + digit
    return value


@dataclass(frozen=True)
class Stage:
    """A world/stage pair, with the RAM area index the game loads for it."""

    world: int
    stage: int
    lost_levels: bool = False

    @property
    def area(self) -> int:
        """1-based area number: stages after an intro cut-scene area are one further."""
        shifted = LOST_LEVELS_SHIFTED_WORLDS if self.lost_levels else SMB1_SHIFTED_WORLDS
        return self.stage + 1 if self.world in shifted and self.stage >= 2 else self.stage

    def __str__(self) -> str:
        return f"{self.world}-{self.stage}"


def parse_stage(text: str, lost_levels: bool = False) -> Stage:
    """Parse ``"4-2"`` into a :class:`Stage` of the game, with a clear error for anything else.

    Raises:
        StageError: ``text`` is not ``"W-S"`` with ASCII digits, or names a stage the game does not have.
    """
    worlds = game_worlds(lost_levels)
    span = f"{worlds[0]}-{worlds[-1]}"
    note = f" (the NES Lost Levels ROM holds worlds {span} only: none after, no A-D)" if lost_levels else ""
    parts = text.split("-") if isinstance(text, str) else []
    if len(parts) != 2 or not all(part.isascii() and part.isdecimal() for part in parts):
        raise StageError(f"stage {text!r} is not of the form 'W-S', e.g. '1-1' or '4-2'{note}")
    stage = Stage(int(parts[0]), int(parts[1]), lost_levels)
    if stage.world not in worlds or stage.stage not in STAGES:
        raise StageError(f"stage {text!r} is outside worlds {span} and stages 1-4{note}")
    return stage


@dataclass(frozen=True)
class GameSnapshot:
    """The emulator state plus what the game logic remembers between frames."""

    emulator_state: object
    stage: Stage | None
    x_last: int
    time_last: int


class MarioGame:
    """The rules of the game for one emulator: where an episode starts, what a step is worth, when it ends.

    Args:
        emulator: nes-py's ``nes_py._native.NativeEmulator`` or our
            :class:`gym_mario_latent.emulator.NativeEmulator` (``frame_advance``, ``reset``, ``dump_state``,
            ``load_state``, ``ram_buffer``): the rules are the same on either.
        lost_levels: whether the ROM is The Lost Levels.
        single_stage: one life in one stage (stage and random-stage IDs) instead of three lives
            across the whole game.
    """

    def __init__(self, emulator, lost_levels: bool = False, single_stage: bool = False) -> None:
        self.emulator = emulator
        self._runs_ahead = hasattr(emulator, "run_ahead")  # our core: a step's frames in one call
        self.ram = emulator.ram_buffer()
        self.lost_levels = lost_levels
        self.single_stage = single_stage
        self.last_world = game_worlds(lost_levels)[-1]
        self.stage: Stage | None = None
        emulator.reset()
        self._power_on = emulator.dump_state()  # replaying the title screen from here is deterministic
        # The first controllable state of each stage started so far; games of one ROM may share one table.
        self.start_snapshots: dict[Stage | None, object] = {}
        self._x_last = 0
        self._time_last = 0

    # --- reading RAM ----------------------------------------------------------------------------------------
    def _ram(self) -> bytes:
        return self.ram.tobytes()

    @staticmethod
    def _x_pos(ram: bytes) -> int:
        return ram[X_PAGE] * 0x100 + ram[X_IN_PAGE]

    @staticmethod
    def _is_dying(ram: bytes) -> bool:
        state = ram[PLAYER_STATE]
        return state in (STATE_DYING, STATE_DEAD) or ram[Y_VIEWPORT] > 1

    @staticmethod
    def _is_stage_over(ram: bytes) -> bool:
        if ram[FLOAT_STATE] != SLIDING_FLAGPOLE:
            return False
        return any(ram[slot] in STAGE_END_ENEMIES for slot in ENEMY_TYPES)

    @classmethod
    def _flag_get(cls, ram: bytes) -> bool:
        return ram[GAME_MODE] == END_OF_WORLD_MODE or cls._is_stage_over(ram)

    def _is_game_won(self, ram: bytes) -> bool:
        """Bowser's axe in the last world: the game plays its ending, then waits for a new game."""
        return ram[GAME_MODE] == END_OF_WORLD_MODE and ram[WORLD] + 1 == self.last_world

    def info(self) -> dict:
        """The documented info dict (the seed's keys and meanings, plus a few extras)."""
        ram = self._ram()
        status = ram[PLAYER_STATUS]
        return {
            "coins": _digits(ram, COIN_DIGITS),
            "flag_get": self._flag_get(ram),
            "life": (ram[LIVES] + 1) & 0xFF,  # lives left: 3, 2, 1 (0 after the last one is lost)
            "score": _digits(ram, SCORE_DIGITS),
            "stage": ram[STAGE] + 1,
            "status": STATUS_NAMES.get(status, "fireball"),
            "time": _digits(ram, TIME_DIGITS),
            "world": ram[WORLD] + 1,
            "x_pos": self._x_pos(ram),
            "y_pos": 255 - ram[Y_PIXEL] if ram[Y_VIEWPORT] >= 1 else 255 + (255 - ram[Y_PIXEL]),
            "area": ram[AREA] + 1,
            "is_dying": self._is_dying(ram),
            "left_x_pos": (ram[X_IN_PAGE] - ram[SCREEN_LEFT_X]) % 256,
        }

    # --- starting an episode --------------------------------------------------------------------------------
    def start(self, stage: Stage | None = None) -> None:
        """Put the emulator at the first controllable frame of ``stage`` (or of the game for ``None``)."""
        snapshot = self.start_snapshots.get(stage)
        if snapshot is None:
            self.emulator.load_state(self._power_on)
            self._skip_start_screen(stage)
            self._check_started_in(stage)
            snapshot = self.start_snapshots[stage] = self.emulator.dump_state()
        else:
            self.emulator.load_state(snapshot)
        self.stage = stage
        self._sync()

    def share_start_snapshots(self, other: "MarioGame") -> None:
        """Use (and fill) ``other``'s start snapshots: games of one vector env skip each title screen once.

        Both games must run the same ROM (the same ID); an emulator state loads into any emulator of that ROM.
        """
        self.start_snapshots = other.start_snapshots

    def _check_started_in(self, stage: Stage | None) -> None:
        ram = self._ram()
        started = (ram[WORLD] + 1, ram[STAGE] + 1)
        expected = (1, 1) if stage is None else (stage.world, stage.stage)
        if started != expected:
            raise GameStuckError(f"the emulator started in {started} instead of {expected}")

    def snapshot(self) -> GameSnapshot:
        """Everything needed to continue the episode from here."""
        return GameSnapshot(self.emulator.dump_state(), self.stage, self._x_last, self._time_last)

    def restore(self, snapshot: GameSnapshot) -> None:
        """Continue from ``snapshot``."""
        self.emulator.load_state(snapshot.emulator_state)
        self.stage, self._x_last, self._time_last = snapshot.stage, snapshot.x_last, snapshot.time_last

    def _write_stage(self, stage: Stage) -> None:
        self.ram[WORLD] = stage.world - 1
        self.ram[STAGE] = stage.stage - 1
        self.ram[AREA] = stage.area - 1

    def _skip_start_screen(self, stage: Stage | None) -> None:
        """Press start through the title screen, pick the stage, and wait for the clock's first tick."""
        advance = self.emulator.frame_advance
        advance(BUTTON_START)
        advance(NOOP)
        for _ in range(MAX_SKIPPED_FRAMES):
            if _digits(self._ram(), TIME_DIGITS) != 0:
                break
            advance(BUTTON_START)
            if stage is not None:
                self._write_stage(stage)
            advance(NOOP)
            self.ram[PRE_LEVEL_TIMER] = 0
        else:
            self._stuck("on the title screen")
        time_last = _digits(self._ram(), TIME_DIGITS)
        for _ in range(MAX_SKIPPED_FRAMES):
            time_now = _digits(self._ram(), TIME_DIGITS)
            if time_now < time_last:
                break
            time_last = time_now
            advance(BUTTON_START)
            advance(NOOP)
        else:
            self._stuck("waiting for the clock to start")

    def _sync(self) -> None:
        """Forget motion and clock changes the agent did not cause (resets, skipped frames)."""
        ram = self._ram()
        self._x_last = self._x_pos(ram)
        self._time_last = _digits(ram, TIME_DIGITS)

    # --- stepping -------------------------------------------------------------------------------------------
    def step(self, action: int, frame_skip: int) -> tuple[float, bool]:
        """Hold ``action`` for up to ``frame_skip`` frames; return (reward, terminated).

        The reward is ``clip(v + c + d, -15, 15)`` summed over the frames of the step: ``v`` the change of
        x_pos (a frame moving more than 5 pixels is an area change and counts 0), ``c`` the change of the
        clock (never positive), ``d`` = -15 if Mario died during the step. The step stops early on death
        or, in single-stage games, at the flag. Terminated: single-stage games at a death or the flag, the
        whole game when the last life is lost or the last world's castle is won (its ending would wait for
        a new game).
        """
        velocity = clock = 0
        died = flag = False
        frames = 0
        for ram in self._play(action, frame_skip):
            frames += 1
            x_pos = self._x_pos(ram)
            dx = x_pos - self._x_last
            self._x_last = x_pos
            if -MAX_X_SPEED_PER_FRAME <= dx <= MAX_X_SPEED_PER_FRAME:
                velocity += dx
            time_now = _digits(ram, TIME_DIGITS)
            if time_now < self._time_last:
                clock += time_now - self._time_last
            self._time_last = time_now
            if self._is_dying(ram):
                died = True
                break
            if self.single_stage and self._flag_get(ram):
                flag = True
                break
        if self._runs_ahead and frames < frame_skip:
            self.emulator.rewind(frames)  # the frames after the one the step stopped at never happened
        low, high = REWARD_RANGE
        reward = min(max(float(velocity + clock + (DEATH_PENALTY if died else 0)), low), high)
        # ram is the RAM after the step's last frame (read in the loop above)
        if (self.single_stage and (died or flag)) or self._is_game_won(ram):
            return reward, True
        if died:
            self._finish_death()
        self._skip_cut_scenes()
        self._sync()
        return reward, (not self.single_stage) and self.ram[LIVES] == 0xFF

    def _play(self, action: int, frames: int) -> Iterable[bytes]:
        """The RAM after each of ``frames`` frames holding ``action``. Our core runs them all in one call
        (no GIL), and the step rewinds what it does not keep; nes-py runs one frame per item."""
        if self._runs_ahead:
            return self.emulator.run_ahead(action, frames)
        return self._advance_each(action, frames)

    def _advance_each(self, action: int, frames: int) -> Iterator[bytes]:
        advance = self.emulator.frame_advance
        for _ in range(frames):
            advance(action)
            yield self._ram()

    def _finish_death(self) -> None:
        """Cut the death animation short and run on to the next life (or the game over)."""
        self.ram[PLAYER_STATE] = STATE_DEAD
        self.emulator.frame_advance(NOOP)

    def _skip_cut_scenes(self) -> None:
        """Run through frames the player cannot act in: area changes, flags, between-lives screens."""
        advance = self.emulator.frame_advance
        ram = self._ram()
        if ram[GAME_MODE] == END_OF_WORLD_MODE:
            time_then = _digits(ram, TIME_DIGITS)
            for _ in range(MAX_SKIPPED_FRAMES):
                if _digits(self._ram(), TIME_DIGITS) != time_then:
                    break
                advance(NOOP)
            else:
                self._stuck("in the end-of-world cut-scene")
        change_area_timer = self.ram[CHANGE_AREA_TIMER]
        if 1 < change_area_timer < 255:
            self.ram[CHANGE_AREA_TIMER] = 1
        for _ in range(MAX_SKIPPED_FRAMES):
            ram = self._ram()
            if ram[LIVES] == 0xFF:
                break
            if ram[PLAYER_STATE] not in BUSY_STATES and ram[GAME_MODE] != END_OF_WORLD_MODE:
                break
            self.ram[PRE_LEVEL_TIMER] = 0
            advance(NOOP)
        else:
            self._stuck("in a cut-scene")

    def _stuck(self, where: str) -> None:
        ram = self._ram()
        raise GameStuckError(
            f"the game stayed {where} for {MAX_SKIPPED_FRAMES} frames (player state "
            f"{ram[PLAYER_STATE]:#04x}, game mode {ram[GAME_MODE]}): the ROM or a RAM write broke the game"
        )
