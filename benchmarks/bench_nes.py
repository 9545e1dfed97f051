"""Frames per second of our NES core against raw nes-py: one table, every ratio measured in one run.

    .venv/bin/python benchmarks/bench_nes.py [--frames 20000] [--repeats 3] [--nes-py-tables]

The anchor is nes-py's own loop: ``frame_advance`` on nes-py's emulator with random SIMPLE_MOVEMENT button
bytes, nothing else. Ours is ``gym.make(id, emulator="native")`` wrapped in ``JoypadSpace(SIMPLE_MOVEMENT)``,
random actions, resetting when an episode ends (the reset time is counted), at frame skip 1 and 4 in every
observation mode, then the preprocessed 84x84x4 stack (``make_preprocessed``: resize, grayscale, stack 4,
frame skip 4). These rows are NES frames per CPU second of this process (frames/s per core), so other
programs on the machine barely move the ratio; each runs ``--repeats`` times interleaved with the anchor
and the best run is kept. Targets: >= 10x raw nes-py at frame skip 4 in every mode and the stack, >= 20x in
tiles mode.

The last rows time the native vector env ``gym.make_vec(id, N, emulator="native")`` (its 2 threads) for
N = 1, 2, 4, 8: env steps per wall-clock second over all lanes, against N = 1 measured in the same repeat
loop. Target: N = 2 >= 1.9x N = 1, which needs two free cores: the load average is printed before and after.

``--nes-py-tables`` adds the older tables on nes-py (``emulator="nes-py"``): the env's overhead over raw
nes-py (target >= 0.97x), ``observation_mode="tiles"`` against the plain env, and the preprocessed vector
env against the plain one.
"""

import argparse
import os
import time
import warnings

import gymnasium as gym
import numpy as np
from nes_py import _native

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.actions import SIMPLE_MOVEMENT, joypad_bitmaps
from gym_mario_latent.emulator import NATIVE, NES_PY
from gym_mario_latent.preprocessing import make_preprocessed
from gym_mario_latent.roms import SMB1, find_rom
from gym_mario_latent.wrappers import JoypadSpace

TARGET_RATIO = 0.97
TILES_ENV_ID = "SuperMarioBros-1-1-v0"
VECTOR_ENV_ID = "SuperMarioBros-1-1-v0"
VECTOR_LANES = (1, 2, 4, 8)


def raw_frames_per_second(frames: int, seed: int) -> float:
    """nes-py alone: a native emulator advanced ``frames`` times with random SIMPLE_MOVEMENT bytes."""
    emulator = _native.NativeEmulator(str(find_rom(SMB1).path))
    emulator.reset()
    choices = np.random.default_rng(seed).integers(len(SIMPLE_MOVEMENT), size=frames)
    buttons = np.array(joypad_bitmaps(SIMPLE_MOVEMENT))[choices]
    start = time.process_time()
    for action in buttons.tolist():
        emulator.frame_advance(action)
    elapsed = time.process_time() - start
    emulator.close()
    return frames / elapsed


def env_frames_per_second(env_id: str, frames: int, seed: int, **kwargs) -> float:
    """Our env through gym.make + JoypadSpace, random actions, resets counted."""
    env = JoypadSpace(gym.make(env_id, **kwargs), SIMPLE_MOVEMENT)
    return random_play_frames_per_second(env, frames, seed)


def random_play_frames_per_second(env: gym.Env, frames: int, seed: int) -> float:
    """Random SIMPLE_MOVEMENT steps of `env` (closed after) for about `frames` emulator frames, resets
    counted: emulator frames per CPU second."""
    frame_skip = env.unwrapped.frame_skip
    actions = np.random.default_rng(seed).integers(len(SIMPLE_MOVEMENT), size=frames // frame_skip).tolist()
    env.reset(seed=seed)
    start = time.process_time()
    for action in actions:
        terminated, truncated = env.step(action)[2:4]
        if terminated or truncated:
            env.reset()
    elapsed = time.process_time() - start
    env.close()
    return len(actions) * frame_skip / elapsed


def print_tiles_table(frames: int, repeats: int) -> None:
    """observation_mode="tiles" against the plain env of the same ID (nes-py): agent steps/s, ratio."""
    frame_skip = gym.spec(TILES_ENV_ID).kwargs["frame_skip"]
    plain, tiles = [], []
    for repeat in range(repeats):
        plain.append(env_frames_per_second(TILES_ENV_ID, frames, seed=repeat, emulator=NES_PY) / frame_skip)
        tiles.append(
            env_frames_per_second(
                TILES_ENV_ID, frames, seed=repeat, observation_mode="tiles", emulator=NES_PY
            )
            / frame_skip
        )
    print(f"\n{'configuration':<52} {'plain steps/s':>15} {'tiles steps/s':>14} {'ratio':>7}")
    name = f"{TILES_ENV_ID} observation_mode=tiles"
    print(f"{name:<52} {max(plain):>15.0f} {max(tiles):>14.0f} {max(tiles) / max(plain):>7.3f}")


def vector_env_frames_per_second(
    envs: gym.vector.VectorEnv, frame_skip: int, actions: np.ndarray, seed: int
) -> tuple[float, float]:
    """NES frames/s (wall clock, all lanes) of ``envs`` stepped with ``actions`` (steps, lanes), autoresets
    included, and the cores it kept busy (this process's CPU time over wall time). Closes ``envs``."""
    envs.reset(seed=seed)
    start, cpu_start = time.perf_counter(), time.process_time()
    for step_actions in actions:
        envs.step(step_actions)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    envs.close()
    return actions.size * frame_skip / elapsed, cpu / elapsed


def print_preprocessed_vector_table(frames: int, repeats: int) -> None:
    """The native vector env with the preprocessing stack against the plain one, N = 1, 2, 4, 8."""
    frame_skip = gym.spec(VECTOR_ENV_ID).kwargs["frame_skip"]
    print(f"\n{'configuration':<52} {'plain fps':>10} {'stack fps':>10} {'ratio':>7}")
    for lanes in VECTOR_LANES:
        plain, stacked = [], []
        for repeat in range(repeats):
            shape = (max(1, frames // (lanes * frame_skip)), lanes)
            actions = np.random.default_rng(repeat).integers(len(SIMPLE_MOVEMENT), size=shape)
            envs = gym.make_vec(VECTOR_ENV_ID, num_envs=lanes, actions=SIMPLE_MOVEMENT, emulator=NES_PY)
            plain.append(vector_env_frames_per_second(envs, frame_skip, actions, seed=repeat)[0])
            envs = make_preprocessed(VECTOR_ENV_ID, num_envs=lanes, actions=SIMPLE_MOVEMENT, emulator=NES_PY)
            stacked.append(vector_env_frames_per_second(envs, frame_skip, actions, seed=repeat)[0])
        name = f"{VECTOR_ENV_ID} vector N={lanes}, preprocessed"
        print(f"{name:<52} {max(plain):>10.0f} {max(stacked):>10.0f} {max(stacked) / max(plain):>7.3f}")


NATIVE_TARGET, NATIVE_TILES_TARGET, NATIVE_VECTOR_TARGET = 10.0, 20.0, 1.9
NATIVE_MODES = ("rgb", "rgb_view", "grayscale", "tiles")
FRAME_SKIP_IDS = {1: "SuperMarioBrosNoFrameskip-1-1-v0", 4: "SuperMarioBros-1-1-v0"}


def preprocessed_frames_per_second(frames: int, seed: int, **kwargs) -> float:
    """One env in the classic stack (84x84 grayscale, 4 frames), random SIMPLE_MOVEMENT, resets counted."""
    env = make_preprocessed(VECTOR_ENV_ID, actions=SIMPLE_MOVEMENT, **kwargs)
    return random_play_frames_per_second(env, frames, seed)


def vector_steps_per_second(lanes: int, frames: int, seed: int) -> tuple[float, float]:
    """Env steps per wall-clock second over all lanes of the native vector env (random SIMPLE_MOVEMENT), and
    the cores it kept busy (CPU time over wall time: below the lanes' count when the machine is shared)."""
    frame_skip = gym.spec(VECTOR_ENV_ID).kwargs["frame_skip"]
    shape = (max(1, frames // (lanes * frame_skip)), lanes)
    actions = np.random.default_rng(seed).integers(len(SIMPLE_MOVEMENT), size=shape)
    envs = gym.make_vec(VECTOR_ENV_ID, num_envs=lanes, actions=SIMPLE_MOVEMENT, emulator=NATIVE)
    frames_per_second, cores = vector_env_frames_per_second(envs, frame_skip, actions, seed)
    return frames_per_second / frame_skip, cores


def print_row(name: str, anchor: float, ours: float, target: float | None) -> None:
    ratio = ours / anchor
    verdict = "" if target is None else f"ok (>= {target:g}x)" if ratio >= target else f"below {target:g}x"
    print(f"{name:<44} {anchor:>12.0f} {ours:>10.0f} {ratio:>7.2f}x  {verdict}")


def print_native_table(frames: int, repeats: int) -> None:
    """Our NES core against raw nes-py: one env per mode and frame skip, the stack, the vector env."""
    print(f"{'configuration':<44} {'anchor':>12} {'ours':>10} {'ratio':>8}")
    print("one env, NES frames per CPU second; anchor: raw nes-py frame_advance")
    rows = []
    for frame_skip, env_id in FRAME_SKIP_IDS.items():
        for mode in NATIVE_MODES:
            target = (NATIVE_TILES_TARGET if mode == "tiles" else NATIVE_TARGET) if frame_skip == 4 else None
            rows.append((f"{mode}, frame skip {frame_skip}", env_id, mode, target))
    rows.append(("preprocessed 84x84x4 stack, frame skip 4", None, None, NATIVE_TARGET))
    for name, env_id, mode, target in rows:
        raw, ours = [], []
        for repeat in range(repeats):
            raw.append(raw_frames_per_second(frames, seed=repeat))
            if env_id is None:
                ours.append(preprocessed_frames_per_second(frames, seed=repeat, emulator=NATIVE))
            else:
                ours.append(
                    env_frames_per_second(env_id, frames, repeat, emulator=NATIVE, observation_mode=mode)
                )
        print_row(name, max(raw), max(ours), target)
    print_vector_rows(frames, repeats)


def print_vector_rows(frames: int, repeats: int) -> None:
    """The native vector env for N = 1, 2, 4, 8 against N = 1, with the cores each kept busy."""
    print("vector env (rgb, 2 threads), env steps per wall-clock second over all lanes; anchor: N = 1")
    runs: dict[int, list[tuple[float, float]]] = {lanes: [] for lanes in VECTOR_LANES}
    for repeat in range(repeats):
        for lanes in VECTOR_LANES:
            runs[lanes].append(vector_steps_per_second(lanes, frames, seed=repeat))
    one_lane = max(runs[1])[0]
    for lanes in VECTOR_LANES:
        target = NATIVE_VECTOR_TARGET if lanes == 2 else None
        steps, cores = max(runs[lanes])
        print_row(f"vector N={lanes} (cores busy {cores:.2f})", one_lane, steps, target)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frames", type=int, default=20000, help="emulator frames per timed run")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per configuration (best kept)")
    parser.add_argument(
        "--nes-py-tables", action="store_true", help="also the older tables of the envs on nes-py"
    )
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message=".*share an object")  # expected for observation_mode=rgb_view
    print(f"load average {os.getloadavg()[0]:.2f}; {args.frames} frames per run, best of {args.repeats}")
    print_native_table(args.frames, args.repeats)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    if args.nes_py_tables:
        print_nes_py_tables(args.frames, args.repeats)


def print_nes_py_tables(frames: int, repeats: int) -> None:
    """The envs on nes-py against raw nes-py, tiles against plain, the preprocessed vector env."""
    configurations = [
        ("SuperMarioBrosNoFrameskip-1-1-v0", {}),
        ("SuperMarioBrosNoFrameskip-1-1-v0", {"observation_mode": "rgb_view"}),
        ("SuperMarioBros-1-1-v0", {}),
        ("SuperMarioBros-1-1-v0", {"observation_mode": "rgb_view"}),
        ("SuperMarioBros-v0", {}),
    ]
    print(f"\n{'configuration (emulator=nes-py)':<52} {'raw nes-py fps':>15} {'ours fps':>10} {'ratio':>7}")
    for env_id, kwargs in configurations:
        raw, ours = [], []
        for repeat in range(repeats):
            raw.append(raw_frames_per_second(frames, seed=repeat))
            ours.append(env_frames_per_second(env_id, frames, seed=repeat, emulator=NES_PY, **kwargs))
        name = env_id + "".join(f" {key}={value}" for key, value in kwargs.items())
        ratio = max(ours) / max(raw)
        verdict = "ok" if ratio >= TARGET_RATIO else f"below {TARGET_RATIO}"
        print(f"{name:<52} {max(raw):>15.0f} {max(ours):>10.0f} {ratio:>7.3f}  {verdict}")
    print_tiles_table(frames, repeats)
    print_preprocessed_vector_table(frames, repeats)


if __name__ == "__main__":
    main()
