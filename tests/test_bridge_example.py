"""examples/blog_example.py: the blog post's example runs headless on our package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "blog_example.py"


def test_blog_example_decodes_joins_and_evaluates_latent_levels():
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "--levels", "3", "--seed", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    telemetry = ast.literal_eval(result.stdout.strip().splitlines()[-1])
    assert telemetry["totalLengthOfLevelPassedCells"] == 3 * 14 + 3 + 3  # three segments, padded
    # measured: the three segments seed 1 decodes, the A* agent clears unhurt, stomping one goomba;
    # the same seed and weights give the same level on every machine
    assert telemetry["status"] == "win" and telemetry["marioStatus"] == 1
    assert telemetry["completion"] == 1.0 and telemetry["hurts"] == 0
    assert telemetry["kills_by"]["stomp"] == telemetry["kills_total"] == 1
