"""The native NES core is an optional part of the build: compiled when a C compiler works, skipped with a
warning (never a failed install) when none does."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_ext(tmp_path: Path, compiler: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ, **({"CC": compiler} if compiler else {})}
    command = [sys.executable, "setup.py", "build_ext", "--build-lib", str(tmp_path / "lib")]
    command += ["--build-temp", str(tmp_path / "temp")]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_without_a_working_compiler_the_build_warns_and_succeeds(tmp_path):
    result = build_ext(tmp_path, "/bin/false")
    assert result.returncode == 0, result.stderr
    assert "the native NES core was not built" in result.stdout + result.stderr
    assert not list((tmp_path / "lib").rglob("_nes*"))


def test_with_a_compiler_the_build_makes_the_extension(tmp_path):
    result = build_ext(tmp_path, None)
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "lib" / "gym_mario_latent" / "emulator").glob("_nes*"))
