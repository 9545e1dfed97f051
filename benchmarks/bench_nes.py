"""Frames per second of our SMB envs against the raw nes-py emulator they run on.

    .venv/bin/python benchmarks/bench_nes.py [--frames 20000] [--repeats 3]

The anchor is nes-py's own loop: ``frame_advance`` on a native emulator with random SIMPLE_MOVEMENT button
bytes, nothing else. Ours is ``gym.make(...)`` wrapped in ``JoypadSpace(SIMPLE_MOVEMENT)``, random actions,
resetting when an episode ends (the reset time is counted). Both sides are timed in CPU time of this
process (``time.process_time``), so other programs on the machine barely move the ratio; each
configuration runs ``--repeats`` times interleaved with the anchor and the best run is kept.
Target: ours >= 0.97x raw.

A second table times ``observation_mode="tiles"`` (the screen as level tiles read from RAM) against the
plain env of the same ID (the RGB screen), in agent steps per CPU second, interleaved the same way.

A third table times the native vector env with the preprocessing stack on every lane
(``make_preprocessed(id, num_envs=N)``: resize 84x84, grayscale, stack 4) against the plain native vector env
of the same N (``gym.make_vec(id, N)``, RGB screens), in NES frames per wall-clock second over all lanes
(the lanes run on 2 threads, so CPU time would hide the parallelism), interleaved, best of ``--repeats``.

A fourth table times our own NES core (``emulator="native"``) against raw nes-py in the same run: frame skip
1 and 4 in every observation mode and the preprocessed 84x84x4 stack (CPU-time frames/s of one env), then
its vector env for N = 1, 2, 4, 8 (wall-clock frames/s over all lanes, and the ratio to N = 1). Targets:
>= 10x raw nes-py per core at frame skip 4 in every mode, >= 20x in tiles mode, vector N=2 >= 1.9x N=1.
Only this table runs with ``--native-only``.
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
    """observation_mode="tiles" against the plain env of the same ID: agent steps/s and their ratio."""
    frame_skip = gym.spec(TILES_ENV_ID).kwargs["frame_skip"]
    plain, tiles = [], []
    for repeat in range(repeats):
        plain.append(env_frames_per_second(TILES_ENV_ID, frames, seed=repeat) / frame_skip)
        tiles.append(
            env_frames_per_second(TILES_ENV_ID, frames, seed=repeat, observation_mode="tiles") / frame_skip
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
            envs = gym.make_vec(VECTOR_ENV_ID, num_envs=lanes, actions=SIMPLE_MOVEMENT)
            plain.append(vector_env_frames_per_second(envs, frame_skip, actions, seed=repeat)[0])
            envs = make_preprocessed(VECTOR_ENV_ID, num_envs=lanes, actions=SIMPLE_MOVEMENT)
            stacked.append(vector_env_frames_per_second(envs, frame_skip, actions, seed=repeat)[0])
        name = f"{VECTOR_ENV_ID} vector N={lanes}, preprocessed"
        print(f"{name:<52} {max(plain):>10.0f} {max(stacked):>10.0f} {max(stacked) / max(plain):>7.3f}")


NATIVE_TARGET, NATIVE_TILES_TARGET, NATIVE_VECTOR_TARGET = 10.0, 20.0, 1.9
NATIVE_MODES = ("rgb", "rgb_view", "grayscale", "tiles")


def preprocessed_frames_per_second(frames: int, seed: int, **kwargs) -> float:
    """One env in the classic stack (84x84 grayscale, 4 frames), random SIMPLE_MOVEMENT, resets counted."""
    env = make_preprocessed(VECTOR_ENV_ID, actions=SIMPLE_MOVEMENT, **kwargs)
    return random_play_frames_per_second(env, frames, seed)


def print_native_table(frames: int, repeats: int) -> None:
    """Our NES core against raw nes-py: one env per mode and frame skip, the stack, the vector env."""
    print(
        f"\n{'native emulator (one env, CPU time)':<52} {'raw nes-py fps':>15} {'ours fps':>10} {'ratio':>7}"
    )
    rows = []
    for env_id, targeted in (("SuperMarioBrosNoFrameskip-1-1-v0", False), ("SuperMarioBros-1-1-v0", True)):
        for mode in NATIVE_MODES:
            target = (NATIVE_TILES_TARGET if mode == "tiles" else NATIVE_TARGET) if targeted else None
            rows.append((f"{env_id} {mode}", {"env_id": env_id, "observation_mode": mode}, target))
    rows.append(("preprocessed 84x84x4 stack, frame skip 4", None, NATIVE_TARGET))
    for name, kwargs, target in rows:
        raw, ours = [], []
        for repeat in range(repeats):
            raw.append(raw_frames_per_second(frames, seed=repeat))
            if kwargs is None:
                ours.append(preprocessed_frames_per_second(frames, seed=repeat, emulator="native"))
            else:
                env_id = kwargs["env_id"]
                mode = kwargs["observation_mode"]
                ours.append(
                    env_frames_per_second(env_id, frames, repeat, emulator="native", observation_mode=mode)
                )
        ratio = max(ours) / max(raw)
        verdict = "" if target is None else "ok" if ratio >= target else f"below {target:g}x"
        print(f"{name:<52} {max(raw):>15.0f} {max(ours):>10.0f} {ratio:>6.1f}x  {verdict}")
    frame_skip = gym.spec(VECTOR_ENV_ID).kwargs["frame_skip"]
    print(f"\n{'native vector env (wall clock, all lanes)':<52} {'fps':>10} {'vs N=1':>8}")
    one_lane = None
    for lanes in VECTOR_LANES:
        runs = []
        for repeat in range(repeats):
            shape = (max(1, frames // (lanes * frame_skip)), lanes)
            actions = np.random.default_rng(repeat).integers(len(SIMPLE_MOVEMENT), size=shape)
            envs = gym.make_vec(VECTOR_ENV_ID, num_envs=lanes, actions=SIMPLE_MOVEMENT, emulator="native")
            runs.append(vector_env_frames_per_second(envs, frame_skip, actions, seed=repeat)[0])
        one_lane = one_lane or max(runs)
        verdict = (
            ("ok" if max(runs) / one_lane >= NATIVE_VECTOR_TARGET else "below 1.9x") if lanes == 2 else ""
        )
        name = f"{VECTOR_ENV_ID} vector N={lanes}"
        print(f"{name:<52} {max(runs):>10.0f} {max(runs) / one_lane:>7.2f}x  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frames", type=int, default=20000, help="emulator frames per timed run")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per configuration (best kept)")
    parser.add_argument("--native-only", action="store_true", help="only the native emulator's table")
    args = parser.parse_args()
    if args.native_only:
        warnings.filterwarnings("ignore", message=".*share an object")
        print(f"load average {os.getloadavg()[0]:.2f}; {args.frames} frames per run, best of {args.repeats}")
        print_native_table(args.frames, args.repeats)
        return
    warnings.filterwarnings("ignore", message=".*share an object")  # expected for observation_mode=rgb_view
    configurations = [
        ("SuperMarioBrosNoFrameskip-1-1-v0", {}),
        ("SuperMarioBrosNoFrameskip-1-1-v0", {"observation_mode": "rgb_view"}),
        ("SuperMarioBros-1-1-v0", {}),
        ("SuperMarioBros-1-1-v0", {"observation_mode": "rgb_view"}),
        ("SuperMarioBros-v0", {}),
    ]
    load = os.getloadavg()[0]
    print(f"load average {load:.2f}; {args.frames} frames per run, best of {args.repeats}; CPU-time fps")
    print(f"{'configuration':<52} {'raw nes-py fps':>15} {'ours fps':>10} {'ratio':>7}")
    for env_id, kwargs in configurations:
        raw, ours = [], []
        for repeat in range(args.repeats):
            raw.append(raw_frames_per_second(args.frames, seed=repeat))
            ours.append(env_frames_per_second(env_id, args.frames, seed=repeat, **kwargs))
        name = env_id + "".join(f" {key}={value}" for key, value in kwargs.items())
        ratio = max(ours) / max(raw)
        verdict = "ok" if ratio >= TARGET_RATIO else f"below {TARGET_RATIO}"
        print(f"{name:<52} {max(raw):>15.0f} {max(ours):>10.0f} {ratio:>7.3f}  {verdict}")
    print_tiles_table(args.frames, args.repeats)
    print_preprocessed_vector_table(args.frames, args.repeats)
    print_native_table(args.frames, args.repeats)


if __name__ == "__main__":
    main()
