"""Play the same game on both emulators side by side and compare them after every frame.

The identity suite (tests/test_nes_core_identity.py) and its longer run (benchmarks/nes_identity.py) use
this: two :class:`MarioGame` s, one per emulator, get the same start and the same seeded random actions;
every frame either emulates (title screens and cut-scenes included) is recorded and compared, RAM always
and the drawn screen on request, and so are each step's reward, termination and info.
"""

from dataclasses import dataclass, field
from os import PathLike

import numpy as np

from gym_mario_latent.envs.smb_game import MarioGame, Stage


class FrameRecorder:
    """An emulator that keeps a copy of its RAM (and screen, if asked) after every frame it runs."""

    def __init__(self, emulator, screens: bool = False) -> None:
        self.emulator = emulator
        self.screens = screens
        self._ram = emulator.ram_buffer()
        self._screen = emulator.screen_buffer() if screens else None
        self.frames: list[tuple[bytes, np.ndarray | None]] = []

    def frame_advance(self, action: int) -> None:
        self.emulator.frame_advance(action)
        screen = np.array(self._screen) if self.screens else None
        self.frames.append((self._ram.tobytes(), screen))

    def reset(self) -> None:
        self.emulator.reset()

    def ram_buffer(self) -> np.ndarray:
        return self._ram

    def dump_state(self):
        return self.emulator.dump_state()

    def load_state(self, state) -> None:
        self.emulator.load_state(state)
        self.frames.append((self._ram.tobytes(), None))


@dataclass
class IdentityReport:
    """What a side-by-side run compared, and where the emulators first differed (``None``: nowhere)."""

    frames: int = 0
    steps: int = 0
    episodes: int = 0
    screens: int = 0
    divergence: str | None = None
    notes: list[str] = field(default_factory=list)


class SideBySide:
    """One game on two emulators (``reference`` first), compared after every frame.

    Args:
        reference: the emulator the other must equal (nes-py's ``NativeEmulator``).
        candidate: our :class:`gym_mario_latent.emulator.NativeEmulator` of the same ROM.
        lost_levels / single_stage: as :class:`MarioGame`'s.
        screens: compare the drawn screens too.
    """

    def __init__(self, reference, candidate, *, lost_levels=False, single_stage=True, screens=False) -> None:
        self.recorders = (FrameRecorder(reference, screens), FrameRecorder(candidate, screens))
        self.games = tuple(MarioGame(r, lost_levels, single_stage) for r in self.recorders)
        self.report = IdentityReport()
        self._check("power-on")

    def _check(self, where: str) -> bool:
        """Compare the frames both ran since the last check; record the first difference."""
        (ref_frames, cand_frames) = (r.frames for r in self.recorders)
        if len(ref_frames) != len(cand_frames):
            counts = f"{len(ref_frames)} frames on nes-py, {len(cand_frames)} on ours"
            self.report.divergence = f"{where}: {counts}"
            return False
        for index, ((ref_ram, ref_screen), (cand_ram, cand_screen)) in enumerate(
            zip(ref_frames, cand_frames, strict=True)
        ):
            frame = self.report.frames + index
            if ref_ram != cand_ram:
                diff = np.nonzero(np.frombuffer(ref_ram, np.uint8) != np.frombuffer(cand_ram, np.uint8))[0]
                shown = ", ".join(f"{a:#06x}: {ref_ram[a]:#04x} vs {cand_ram[a]:#04x}" for a in diff[:8])
                self.report.divergence = f"{where}, frame {frame}: RAM differs at {len(diff)} bytes ({shown})"
                return False
            if ref_screen is not None and cand_screen is not None:
                if not np.array_equal(ref_screen, cand_screen):
                    rows, cols = np.nonzero(np.any(ref_screen != cand_screen, axis=2))
                    self.report.divergence = (
                        f"{where}, frame {frame}: screen differs at {len(rows)} pixels "
                        f"(first at row {rows[0]}, column {cols[0]})"
                    )
                    return False
                self.report.screens += 1
        self.report.frames += len(ref_frames)
        for recorder in self.recorders:
            recorder.frames.clear()
        return True

    def start(self, stage: Stage | None) -> bool:
        """Start an episode on both; False at the first difference."""
        for game in self.games:
            game.start(stage)
        self.report.episodes += 1
        return self._check(f"start of {stage or 'the game'}") and self._same_info("start")

    def _same_info(self, where: str) -> bool:
        ref_info, cand_info = (game.info() for game in self.games)
        if ref_info != cand_info:
            self.report.divergence = f"{where}: info {cand_info} differs from nes-py's {ref_info}"
            return False
        return True

    def step(self, action: int, frame_skip: int) -> tuple[bool, bool]:
        """One step on both: (still identical, episode over)."""
        ref_result, cand_result = (game.step(action, frame_skip) for game in self.games)
        self.report.steps += 1
        where = f"step {self.report.steps} (action {action:#04x})"
        if ref_result != cand_result:
            self.report.divergence = f"{where}: (reward, terminated) {cand_result} vs nes-py's {ref_result}"
            return False, True
        return self._check(where) and self._same_info(where), ref_result[1]

    def snapshot(self) -> tuple:
        return tuple(game.snapshot() for game in self.games)

    def restore(self, snapshots: tuple) -> bool:
        for game, snapshot in zip(self.games, snapshots, strict=True):
            game.restore(snapshot)
        return self._check("snapshot restore")


def play_side_by_side(
    reference,
    candidate,
    *,
    stages: list[Stage | None],
    actions: list[int],
    steps_per_stage: int,
    seed: int,
    frame_skip: int = 4,
    lost_levels: bool = False,
    single_stage: bool = True,
    screens: bool = False,
    snapshot_every: int = 0,
) -> IdentityReport:
    """Seeded random play of each stage on both emulators (episodes restart until the steps are used);
    every ``snapshot_every`` steps a snapshot is taken, a few steps run, and the snapshot reloaded."""
    rng = np.random.default_rng(seed)
    pair = SideBySide(
        reference, candidate, lost_levels=lost_levels, single_stage=single_stage, screens=screens
    )
    for stage in stages:
        if not pair.start(stage):
            return pair.report
        for step in range(1, steps_per_stage + 1):
            if snapshot_every and step % snapshot_every == 0:
                saved = pair.snapshot()
                for _ in range(5):
                    identical, over = pair.step(int(rng.choice(actions)), frame_skip)
                    if not identical:
                        return pair.report
                    if over:
                        break
                if not pair.restore(saved):
                    return pair.report
            identical, over = pair.step(int(rng.choice(actions)), frame_skip)
            if not identical:
                return pair.report
            if over and not pair.start(stage):
                return pair.report
    return pair.report


def emulators_for(rom_path: str | PathLike) -> tuple:
    """nes-py's emulator and ours, both reset, on the same ROM file."""
    from nes_py._native import NativeEmulator as NesPyEmulator

    from gym_mario_latent.emulator.native import NativeEmulator

    return NesPyEmulator(str(rom_path)), NativeEmulator(rom_path)
