"""The native NES core is an optional part of the build: compiled when a C compiler works, skipped with a
warning (never a failed install) when none does; the envs then fall back to nes-py with one warning."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

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


# A process in which the extension cannot be imported, as after an install without a C compiler: it makes
# every kind of NES env with the default emulator, plays them, and reports what it ran on.
WITHOUT_THE_EXTENSION = textwrap.dedent(
    """
    import sys, warnings
    sys.modules["gym_mario_latent.emulator._nes"] = None  # the import of the extension fails
    import gymnasium as gym
    import gym_mario_latent
    from gym_mario_latent.actions import SIMPLE_MOVEMENT
    from gym_mario_latent.errors import EmulatorUnavailableError, NativeCoreWarning
    from gym_mario_latent.preprocessing import make_preprocessed

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        env = gym.make("SuperMarioBros-1-1-v0")
        envs = gym.make_vec("SuperMarioBros-1-1-v0", num_envs=2)
        stacked = make_preprocessed("SuperMarioBros-1-1-v0", actions=SIMPLE_MOVEMENT)
        env.reset(seed=0)
        x_pos = [env.step(0x80)[4]["x_pos"] for _ in range(20)]
        envs.reset(seed=0)
        envs.step([0x80, 0x80])
        stacked.reset(seed=0)
        stacked.step(1)
    emulators = {env.unwrapped.emulator, stacked.unwrapped.emulator}
    emulators |= {lane.emulator for lane in envs.unwrapped.lanes}
    print("emulators", sorted(emulators))
    print("moved", x_pos[-1] > x_pos[0])
    for warning in caught:  # (Gymnasium's own warnings, e.g. about old ID versions, aside)
        if warning.category is NativeCoreWarning or "native" in str(warning.message).lower():
            print("warning", warning.category.__name__, warning.message)
    try:
        gym.make("SuperMarioBros-1-1-v0", emulator="native")
    except EmulatorUnavailableError as error:
        print("asked by name:", error)
    """
)


@pytest.mark.usefixtures("smb_rom_path")
def test_without_the_extension_the_envs_fall_back_to_nes_py_with_one_warning():
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_THE_EXTENSION], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "emulators ['nes-py']" in lines and "moved True" in lines
    warnings = [line for line in lines if line.startswith("warning")]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("warning NativeCoreWarning the native NES core cannot be loaded (")
    assert "halted; None in sys.modules" in warnings[0] and "pip install -e ." in warnings[0]
    assert any(line.startswith("asked by name: the native NES core is not built") for line in lines)
