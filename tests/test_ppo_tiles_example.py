"""The tiles PPO example runs on a tiny budget: it logs episodes and evaluations, saves a policy and a curve,
and ``benchmarks/bench_ppo.py evaluate`` scores that policy on the real env."""

import csv
import importlib.util
import re
from pathlib import Path

import pytest
import torch

from gym_mario_latent.emulator import native_available

pytestmark = pytest.mark.skipif(not native_available(), reason="the native NES core was not built")
ROOT = Path(__file__).resolve().parents[1]


def load_script(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_rows(path: Path) -> list[dict]:
    with path.open() as handle:
        return list(csv.DictReader(handle))


def test_tiles_example_trains_saves_and_bench_ppo_scores_the_policy(smb_rom_path, tmp_path, capsys):
    ppo = load_script(ROOT / "examples" / "ppo_tiles.py")
    budget = ["--total-steps", "64", "--num-envs", "2", "--num-steps", "32", "--max-episode-steps", "10"]
    evaluation = ["--eval-episodes", "2", "--eval-every", "1000"]
    summary = ppo.train(ppo.parse_args([*budget, *evaluation, "--out", str(tmp_path)]))

    assert summary["steps"] == 64 and summary["episodes"] >= 4
    episodes = read_rows(tmp_path / "episodes.csv")
    assert len(episodes) == summary["episodes"] and all(int(row["x_pos"]) >= 40 for row in episodes)
    (evaluation_row,) = read_rows(tmp_path / "evaluations.csv")  # the last update evaluates
    assert evaluation_row["global_step"] == "64" and evaluation_row["episodes"] == "2"
    assert float(evaluation_row["mean_x_pos"]) >= 40 and evaluation_row["flags"] == "0"
    assert (tmp_path / "learning_curve.png").stat().st_size > 1000

    agent, saved_args = ppo.load_policy(tmp_path / "policy.safetensors")
    assert saved_args.num_envs == 2 and saved_args.actions == "RIGHT_ONLY"
    action, *_ = agent.get_action_and_value(torch.zeros(1, saved_args.stack, 14, 16, dtype=torch.uint8))
    assert 0 <= int(action) < 5

    capsys.readouterr()
    load_script(ROOT / "benchmarks" / "bench_ppo.py").evaluate(tmp_path / "policy.safetensors", 2, seed=0)
    printed = capsys.readouterr().out
    assert "trained 64 agent steps" in printed and "episode limit 10 steps" in printed
    trained = re.search(r"PPO policy\s+(\d+)\s+\d+\s+(\d+)", printed)
    assert trained and int(trained[1]) >= 40 and trained[2] == "0"
