"""The PPO example runs on a tiny budget: it logs episodes, saves a loadable policy and a curve."""

import csv
import importlib.util
from pathlib import Path

import torch

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ppo_smb.py"


def load_example():
    spec = importlib.util.spec_from_file_location("ppo_smb", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ppo_example_runs_logs_episodes_and_saves_a_policy(smb_rom_path, tmp_path):
    ppo = load_example()
    budget = ["--total-steps", "64", "--num-envs", "2", "--num-steps", "32", "--max-episode-steps", "10"]
    args = ppo.parse_args([*budget, "--device", "cpu", "--out", str(tmp_path)])
    summary = ppo.train(args)
    assert summary["steps"] == 64 and summary["episodes"] >= 4
    with (tmp_path / "episodes.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == summary["episodes"] and all(int(row["x_pos"]) >= 40 for row in rows)
    assert (tmp_path / "learning_curve.png").stat().st_size > 1000
    agent, saved_args = ppo.load_policy(tmp_path / "policy.safetensors")
    assert saved_args.num_envs == 2 and saved_args.actions == "RIGHT_ONLY"
    action, *_ = agent.get_action_and_value(torch.zeros(1, 4, 84, 84, dtype=torch.uint8))
    assert 0 <= int(action) < 5
