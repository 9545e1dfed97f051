"""The simulator jar: built by javac into the package at install time, rebuilt at run time when its
sources are newer, and a clear error when it cannot be had."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from gym_mario_latent.errors import SimulatorBuildError
from gym_mario_latent.simulator_bridge import build_jar, ensure_jar
from gym_mario_latent.simulator_bridge.build_jar import JAR_PATH, SOURCE_DIR, java_sources

REPO = Path(__file__).resolve().parents[1]


def run_version(jar: Path) -> str:
    return subprocess.run(
        ["java", "-jar", str(jar), "version"], capture_output=True, text=True, timeout=60
    ).stdout


@pytest.fixture
def sources(tmp_path) -> Path:
    """A copy of the Java sources (so the tests can age and break them)."""
    return Path(shutil.copytree(SOURCE_DIR, tmp_path / "simulator"))


def test_package_jar_is_up_to_date_and_runs():
    jar = ensure_jar()
    assert jar == JAR_PATH
    assert jar.stat().st_mtime >= max(p.stat().st_mtime for p in java_sources())
    assert run_version(jar).startswith("gym-mario-latent-simulator")


def test_built_jar_runs_with_java_dash_jar_and_leaves_no_class_files(sources, tmp_path):
    jar = build_jar(sources, tmp_path / "out" / "simulator.jar")
    assert run_version(jar).startswith("gym-mario-latent-simulator")
    names = zipfile.ZipFile(jar).namelist()
    assert "Main.class" in names and "io/Server.class" in names
    assert not any(name.startswith("test/") or "SimulatorChecks" in name for name in names)
    assert not list(sources.rglob("*.class"))


def test_missing_or_stale_jar_is_rebuilt_with_a_message(sources, tmp_path, capsys):
    jar = tmp_path / "simulator.jar"
    ensure_jar(jar, sources)
    assert "missing" in capsys.readouterr().err
    built = jar.stat().st_mtime_ns

    ensure_jar(jar, sources)  # up to date: left alone, silently
    assert jar.stat().st_mtime_ns == built and capsys.readouterr().err == ""

    newer = built / 1e9 + 10
    os.utime(sources / "Main.java", (newer, newer))
    ensure_jar(jar, sources)
    assert "older than its Java sources" in capsys.readouterr().err
    assert jar.stat().st_mtime_ns > built


def test_stale_jar_without_javac_is_a_clear_error(sources, tmp_path, monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(SimulatorBuildError, match=r"missing and no javac was found.*install JDK 17"):
        ensure_jar(tmp_path / "simulator.jar", sources)


def test_installed_package_without_jar_or_sources_says_how_to_reinstall(tmp_path):
    with pytest.raises(SimulatorBuildError, match=r"installed without a JDK.*reinstall"):
        ensure_jar(tmp_path / "simulator.jar", tmp_path / "no-sources")


def test_javac_errors_are_reported(sources, tmp_path):
    (sources / "Main.java").write_text("public final class Main { broken }")
    with pytest.raises(SimulatorBuildError, match=r"(?s)javac failed.*Main\.java"):
        ensure_jar(tmp_path / "simulator.jar", sources)
    assert not (tmp_path / "simulator.jar").exists()


def build_backend(project: Path, hook: str, out: Path) -> Path:
    """Runs a PEP 517/660 build hook of setuptools (what pip runs) in `project`; returns the file."""
    code = f"import setuptools.build_meta as b; print(b.{hook}({str(out)!r}))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out / result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Path:
    """The project's source files (no jar, no build output), as a fresh clone has them."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    project = tmp_path_factory.mktemp("clone")
    for name in files:
        if (REPO / name).is_file():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, project / name)
    assert not (project / "gym_mario_latent/simulator_bridge/simulator.jar").exists()
    return project


@pytest.mark.slow
def test_sdist_has_java_sources_and_its_wheel_has_the_compiled_jar(project_copy, tmp_path):
    sdist = build_backend(project_copy, "build_sdist", tmp_path)
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    assert any(name.endswith("simulator/Main.java") for name in names)
    assert not any(name.endswith((".jar", ".class")) for name in names)

    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    unpacked = next((tmp_path / "unpacked").iterdir())
    wheel = build_backend(unpacked, "build_wheel", tmp_path / "wheel")
    with zipfile.ZipFile(wheel) as archive:
        jar = archive.read("gym_mario_latent/simulator_bridge/simulator.jar")
    (tmp_path / "simulator.jar").write_bytes(jar)
    assert run_version(tmp_path / "simulator.jar").startswith("gym-mario-latent-simulator")


@pytest.mark.slow
def test_editable_install_builds_the_jar_in_the_source_tree(project_copy, tmp_path):
    wheel = build_backend(project_copy, "build_editable", tmp_path)
    assert wheel.suffix == ".whl"
    jar = project_copy / "gym_mario_latent" / "simulator_bridge" / "simulator.jar"
    assert run_version(jar).startswith("gym-mario-latent-simulator")
