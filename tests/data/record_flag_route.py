"""Find and record an action sequence that takes Mario from the start of a stage to its flag.

The route in ``flag_route_1_1.txt`` was made with this script; tests replay it on the real emulator.
It searches in chunks: from the best state so far it tries random chunks of RIGHT_ONLY actions (restoring an
emulator snapshot before each try), keeps the chunk that gets furthest right without dying, and repeats;
when every try dies it backs up, further each time the same depth fails again.

    .venv/bin/python tests/data/record_flag_route.py 1-1 tests/data/flag_route_1_1.txt
"""

import sys

import numpy as np

from gym_mario_latent.actions import RIGHT_ONLY
from gym_mario_latent.envs.smb import SuperMarioBrosEnv
from gym_mario_latent.wrappers import JoypadSpace

CHUNK_STEPS = 6
TRIES_PER_CHUNK = 24


def record(stage: str, seed: int = 0) -> list[int]:
    """Return a list of RIGHT_ONLY action indices that reaches the flag of ``stage``."""
    rng = np.random.default_rng(seed)
    env = JoypadSpace(SuperMarioBrosEnv(stage), RIGHT_ONLY)
    env.reset(seed=seed)
    emulator, game = env.unwrapped._env, env.unwrapped.game
    chunks: list[list[int]] = []
    starts = [emulator.dump_state()]
    failures: dict[int, int] = {}
    while True:
        start = starts[-1]
        best = None
        for _ in range(TRIES_PER_CHUNK):
            emulator.load_state(start)
            game._sync()
            held = rng.choice(len(RIGHT_ONLY), size=2, p=[0.02, 0.18, 0.3, 0.2, 0.3]).tolist()
            chunk = [held[0]] * (CHUNK_STEPS // 2) + [held[1]] * (CHUNK_STEPS - CHUNK_STEPS // 2)
            for index, action in enumerate(chunk):
                taken = index + 1
                _, _, terminated, _, info = env.step(action)
                env.unwrapped.done = False
                if terminated:
                    break
            if info["flag_get"]:
                return [action for done in chunks for action in done] + chunk[:taken]
            if terminated:
                continue
            if best is None or info["x_pos"] > best[0]:
                best = (info["x_pos"], chunk)
        if best is None:
            if not chunks:
                raise RuntimeError("no chunk survives the first steps")
            failures[len(chunks)] = failures.get(len(chunks), 0) + 1
            for _ in range(min(len(chunks), 1 + failures[len(chunks)] // 2)):
                chunks.pop()
                starts.pop()
            continue
        emulator.load_state(start)
        game._sync()
        for action in best[1]:
            env.step(action)
        chunks.append(best[1])
        starts.append(emulator.dump_state())
        print(f"x_pos {best[0]} after {len(chunks) * CHUNK_STEPS} steps", file=sys.stderr)


if __name__ == "__main__":
    stage_name, out_path = sys.argv[1], sys.argv[2]
    actions = record(stage_name)
    with open(out_path, "w") as out:
        out.write("".join(map(str, actions)) + "\n")
    print(f"{len(actions)} steps written to {out_path}")
