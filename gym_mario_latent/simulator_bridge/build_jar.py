"""Compiling the Java simulator (``simulator/``) into ``simulator.jar`` with javac.

This module uses the standard library only: ``setup.py`` loads it by file path during an install
(before the package's dependencies exist), the Makefile runs it as a script, and the bridge calls
it at run time when the jar is missing or older than its sources.

    python gym_mario_latent/simulator_bridge/build_jar.py [SOURCE_DIR] [JAR]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

#: The jar the bridge runs, inside the package (build output, never committed).
JAR_PATH = Path(__file__).resolve().with_name("simulator.jar")
#: The Java sources in a source checkout or an unpacked sdist (absent from installed wheels).
SOURCE_DIR = Path(__file__).resolve().parents[2] / "simulator"
#: Entry point recorded in the jar's manifest (``java -jar simulator.jar serve``).
MAIN_CLASS = "Main"
#: ``javac --release``: the oldest Java the jar runs on.
JAVA_RELEASE = 17


def jdk_tool_candidates(tool: str, environ: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """Where to look for a JDK tool, in order: ``$JAVA_HOME/bin``, then PATH.

    Returns:
        (path, where it came from) pairs for the places that hold an executable `tool`.
    """
    environ = os.environ if environ is None else environ
    candidates = []
    java_home = environ.get("JAVA_HOME")
    if java_home:
        path = shutil.which(tool, path=str(Path(java_home) / "bin"))
        if path:
            candidates.append((path, f"JAVA_HOME={java_home}"))
    path = shutil.which(tool, path=environ.get("PATH", os.defpath))
    if path:
        candidates.append((path, "PATH"))
    return candidates


def java_sources(source_dir: Path = SOURCE_DIR) -> list[Path]:
    """The simulator's ``.java`` files, without the Java-side test checks (``simulator/test``)."""
    test_dir = source_dir / "test"
    return sorted(p for p in source_dir.rglob("*.java") if test_dir not in p.parents)


def jar_is_stale(source_dir: Path = SOURCE_DIR, jar_path: Path = JAR_PATH) -> bool:
    """True if the jar is missing or older than one of its Java sources."""
    if not jar_path.exists():
        return True
    newest = max((p.stat().st_mtime for p in java_sources(source_dir)), default=0.0)
    return jar_path.stat().st_mtime < newest


def build_jar(source_dir: Path = SOURCE_DIR, jar_path: Path = JAR_PATH, javac: str | None = None) -> Path:
    """Compiles `source_dir` with javac and writes the jar atomically to `jar_path`.

    Raises:
        FileNotFoundError: no Java sources, or no javac (JAVA_HOME, PATH).
        RuntimeError: javac failed (its message included).
    """
    sources = java_sources(source_dir)
    if not sources:
        raise FileNotFoundError(f"no Java sources under {source_dir}")
    if javac is None:
        found = jdk_tool_candidates("javac")
        if not found:
            raise FileNotFoundError("javac not found (looked in $JAVA_HOME/bin and on PATH)")
        javac = found[0][0]
    jar_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="simulator-classes-") as classes:
        command = [javac, "--release", str(JAVA_RELEASE), "-encoding", "UTF-8", "-d", classes]
        result = subprocess.run(
            [*command, *map(str, sources)], capture_output=True, text=True, timeout=600, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"javac failed (exit {result.returncode}):\n{result.stderr.strip()}")
        partial = jar_path.with_name(f".{jar_path.name}.{os.getpid()}.part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as jar:
            jar.writestr("META-INF/MANIFEST.MF", f"Manifest-Version: 1.0\r\nMain-Class: {MAIN_CLASS}\r\n\r\n")
            for path in sorted(Path(classes).rglob("*.class")):
                jar.write(path, path.relative_to(classes).as_posix())
        os.replace(partial, jar_path)
    return jar_path


if __name__ == "__main__":
    arguments = [Path(arg) for arg in sys.argv[1:3]]
    print(build_jar(*arguments))
