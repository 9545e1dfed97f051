"""`.ci/run`: installs the window and browser tests' tools where CI runs (root on Debian), then the README's
test command.

The script runs for real with a PATH of stand-ins for the system tools it calls (``apt-get``, ``make``,
``id``), which record their arguments instead of installing packages or running the suite again.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from simulator_support import REPO

CI_RUN = REPO / ".ci" / "run"
WINDOW_TOOLS = ("xvfb-run", "xdotool", "chromium")


def run_ci(
    tmp_path: Path, uid: int, window_tools: bool | tuple[str, ...]
) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Runs .ci/run as user `uid`, with the window and browser tools on PATH (True: all of them; a tuple:
    those), or without them; returns the commands it ran."""
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    for tool in ("bash", "env", "dirname"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    stand_ins = {
        "apt-get": f'echo "apt-get $*" >> {log}',
        "make": f'echo "make $*" >> {log}',
        "id": f"echo {uid}",
    }
    if window_tools:
        stand_ins |= dict.fromkeys(WINDOW_TOOLS if window_tools is True else window_tools, "true")
    for tool, body in stand_ins.items():
        (bin_dir / tool).write_text(f"#!{shutil.which('bash')}\n{body}\n")
        (bin_dir / tool).chmod(0o755)
    result = subprocess.run(
        [str(CI_RUN)], capture_output=True, text=True, env={"PATH": str(bin_dir)}, timeout=60
    )
    return result, log.read_text().splitlines() if log.exists() else []


@pytest.mark.skipif(not Path("/etc/debian_version").exists(), reason="CI's case: a Debian machine")
def test_as_root_on_debian_it_installs_xvfb_xdotool_and_chromium_before_the_tests(tmp_path):
    result, calls = run_ci(tmp_path, uid=0, window_tools=False)
    assert result.returncode == 0, result.stderr
    assert calls[0] == "apt-get update -qq"
    assert calls[1].startswith("apt-get install") and {"xvfb", "xdotool", "chromium"} <= set(calls[1].split())
    assert calls[2:] == ["make test"]


@pytest.mark.skipif(not Path("/etc/debian_version").exists(), reason="CI's case: a Debian machine")
def test_with_only_chromium_missing_it_installs_it_too(tmp_path):
    result, calls = run_ci(tmp_path, uid=0, window_tools=("xvfb-run", "xdotool"))
    assert result.returncode == 0, result.stderr
    assert "chromium" in calls[1].split()
    assert calls[2:] == ["make test"]


def test_with_the_window_tools_present_it_only_runs_the_tests(tmp_path):
    result, calls = run_ci(tmp_path, uid=0, window_tools=True)
    assert result.returncode == 0, result.stderr
    assert calls == ["make test"]


def test_a_user_without_the_window_tools_is_told_the_window_tests_will_skip(tmp_path):
    result, calls = run_ci(tmp_path, uid=1000, window_tools=False)
    assert result.returncode == 0, result.stderr
    assert calls == ["make test"]
    assert "the window and browser tests will skip" in result.stderr
