"""The PPO recipes (``examples/ppo_smb.py``, ``examples/ppo_tiles.py``) measured: what a trained policy
reaches, and how fast the pixel recipe trains.

    .venv/bin/python benchmarks/bench_ppo.py evaluate runs/ppo_smb/policy.safetensors [--episodes 10]
    .venv/bin/python benchmarks/bench_ppo.py evaluate runs/ppo_tiles/policy.safetensors
    .venv/bin/python benchmarks/bench_ppo.py throughput [--updates 6] [--num-envs 8]

``evaluate`` plays ``--episodes`` episodes of the policy's stage with the observation it was trained on (the
example that wrote the policy file, named in its metadata, builds the env), sampling its actions (as in
training), and as many episodes of a uniformly random agent over the same action list and
episode limit (the anchor). It prints the mean final x_pos of each, their ratio, and the flags reached.

``throughput`` runs the example's training loop for ``--updates`` PPO updates (rollout and update, agent steps
over all lanes) and, on the same preprocessed vector env, random actions alone (the env's share), in
wall-clock agent steps per second. The first update is not counted (it includes the first reset).
Target: 150 agent steps/s on 2 CPU cores.
"""

import argparse
import importlib.util
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.integrations.ppo import policy_metadata

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DEFAULT_EXAMPLE = "ppo_smb"  # policies saved before the metadata named their example
TARGET_STEPS_PER_SECOND = 150


def load_example(name: str = DEFAULT_EXAMPLE):
    """``examples/NAME.py`` as a module (examples are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def play_episodes(env, choose_action, episodes: int, seed: int) -> list[dict]:
    """Final info of ``episodes`` episodes, each reset with seed ``seed + i``."""
    finals = []
    for episode in range(episodes):
        observation, info = env.reset(seed=seed + episode)
        while True:
            observation, _, terminated, truncated, info = env.step(choose_action(observation))
            if terminated or truncated:
                break
        finals.append(info)
    return finals


def evaluate(policy: Path, episodes: int, seed: int) -> None:
    metadata = policy_metadata(policy)
    ppo = load_example(metadata.get("example", DEFAULT_EXAMPLE))
    agent, args = ppo.load_policy(policy)
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(seed)
    env = ppo.make_eval_env(args)

    @torch.no_grad()
    def policy_action(observation: np.ndarray) -> int:
        logits = agent.actor(agent.features(torch.from_numpy(np.asarray(observation))[None]))
        return int(torch.multinomial(logits.softmax(-1), 1, generator=generator))

    env.action_space.seed(seed)
    started = time.perf_counter()
    trained = play_episodes(env, policy_action, episodes, seed)
    random = play_episodes(env, lambda _: env.action_space.sample(), episodes, seed)
    env.close()
    steps = int(metadata["global_step"])
    print(f"{policy}: {args.env_id}, {args.actions}, trained {steps} agent steps")
    print(f"{episodes} episodes each, sampled actions, episode limit {args.max_episode_steps} steps")
    print(f"{'agent':<16} {'mean final x_pos':>17} {'std':>7} {'flags':>6}")
    for name, finals in (("random (anchor)", random), ("PPO policy", trained)):
        x_pos = np.array([final["x_pos"] for final in finals], dtype=float)
        flags = sum(bool(final["flag_get"]) for final in finals)
        print(f"{name:<16} {x_pos.mean():>17.0f} {x_pos.std():>7.0f} {flags:>6}")
    ratio = np.mean([f["x_pos"] for f in trained]) / np.mean([f["x_pos"] for f in random])
    print(f"ratio PPO/random: {ratio:.2f}x   ({time.perf_counter() - started:.0f} s)")


def env_steps_per_second(ppo, args, seconds: float) -> float:
    """Random actions on the example's preprocessed vector env: agent steps/s over all lanes."""
    envs = ppo.make_envs(args)
    envs.reset(seed=0)
    envs.action_space.seed(0)
    steps, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        envs.step(envs.action_space.sample())
        steps += args.num_envs
    elapsed = time.perf_counter() - started
    envs.close()
    return steps / elapsed


def throughput(updates: int, num_envs: int) -> None:
    ppo = load_example()
    with tempfile.TemporaryDirectory() as out:
        args = ppo.parse_args(["--num-envs", str(num_envs), "--out", out, "--device", "cpu"])
        batch = args.num_envs * args.num_steps
        # One warm-up update (first reset, allocations), then ``updates`` timed ones.
        args.total_steps = batch
        ppo.train(args)
        args.total_steps = batch * updates
        started = time.perf_counter()
        summary = ppo.train(args)
        training = summary["steps"] / (time.perf_counter() - started)
        environment = env_steps_per_second(ppo, args, seconds=summary["seconds"] / 2)
    cores = len(os.sched_getaffinity(0))
    print(
        f"{args.env_id}, {args.num_envs} lanes, {args.num_threads} env threads, {cores} cores, load average "
        f"{os.getloadavg()[0]:.2f}; {summary['steps']} agent steps timed"
    )
    print(f"{'configuration':<40} {'target':>7} {'agent steps/s':>14} {'ratio':>6}")
    for name, value in (
        ("PPO training (rollout + update)", training),
        ("env alone (random actions)", environment),
    ):
        verdict = "ok" if value >= TARGET_STEPS_PER_SECOND else f"below {TARGET_STEPS_PER_SECOND}"
        print(
            f"{name:<40} {TARGET_STEPS_PER_SECOND:>7} {value:>14.0f} "
            f"{value / TARGET_STEPS_PER_SECOND:>6.2f}  {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    evaluating = commands.add_parser("evaluate", help="a trained policy against a random agent")
    evaluating.add_argument(
        "policy", type=Path, help="policy.safetensors written by examples/ppo_smb.py or ppo_tiles.py"
    )
    evaluating.add_argument("--episodes", type=int, default=10, help="episodes per agent (default: 10)")
    evaluating.add_argument("--seed", type=int, default=0, help="seed of resets and sampled actions")
    timing = commands.add_parser("throughput", help="agent steps/s of the training loop and of the env")
    timing.add_argument("--updates", type=int, default=6, help="timed PPO updates (default: 6)")
    timing.add_argument("--num-envs", type=int, default=8, help="vector env lanes (default: 8)")
    args = parser.parse_args()
    if args.command == "evaluate":
        evaluate(args.policy, args.episodes, args.seed)
    else:
        throughput(args.updates, args.num_envs)


if __name__ == "__main__":
    main()
