"""The RLlib examples train for a few iterations on a local Ray: PPO on the NES env's native vector env with
the preprocessing stack, and PPO in the latent space with every runner on one shared RaySimulator."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ray.rllib", reason="needs the rllib extra: pip install 'gym-mario-latent[rllib]'")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ITERATION = re.compile(r"^iteration\s+(\d+)\s+env steps\s+(\d+)\s+return\s+(\S+)", re.MULTILINE)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def run_example(name: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args], capture_output=True, text=True, timeout=540
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_rllib_ppo_steps_the_native_vector_env_of_preprocessed_nes_lanes(smb_rom_path, tmp_path):
    out = run_example(
        "rllib_smb.py", "--iterations", "2", "--envs-per-runner", "2", "--rollout-fragment", "32",
        "--out", str(tmp_path / "checkpoint"),
    )  # fmt: skip
    iterations = ITERATION.findall(out)
    assert [(number, steps) for number, steps, _ in iterations] == [("1", "64"), ("2", "128")]
    assert (tmp_path / "checkpoint").is_dir() and any((tmp_path / "checkpoint").iterdir())


def test_rllib_ppo_designs_latent_levels_of_the_gan_on_one_shared_ray_simulator():
    out = run_example(
        "rllib_latent.py", "--iterations", "2", "--envs-per-runner", "2", "--rollout-fragment", "16",
        "--generator", "gan",
    )  # fmt: skip
    iterations = ITERATION.findall(out)
    assert [(number, steps) for number, steps, _ in iterations] == [("1", "32"), ("2", "64")]
    # five segments an episode, each worth its jumps: 32 steps end several episodes with a finite return
    assert all(float(mean) >= 0 for *_, mean in iterations)
