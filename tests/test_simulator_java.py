"""Runs the Java-side checks in simulator/test against the built jar."""

from __future__ import annotations

import subprocess

from simulator_support import JVM_OPTIONS, REPO, ensure_jar, java


def test_java_side_checks_pass(tmp_path):
    jar = ensure_jar()
    sources = sorted(str(p) for p in (REPO / "simulator" / "test").rglob("*.java"))
    subprocess.run(
        [java("javac"), "--release", "17", "-cp", str(jar), "-d", str(tmp_path), *sources],
        check=True,
        capture_output=True,
        text=True,
    )
    result = subprocess.run(
        [java(), *JVM_OPTIONS, "-ea", "-cp", f"{jar}:{tmp_path}", "SimulatorChecks"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
