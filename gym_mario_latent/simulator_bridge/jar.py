"""Locating the simulator jar, and building it at run time when it is missing or out of date."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from gym_mario_latent.errors import SimulatorBuildError
from gym_mario_latent.simulator_bridge.build_jar import (
    JAR_PATH,
    SOURCE_DIR,
    build_jar,
    jar_is_stale,
    java_sources,
    jdk_tool_candidates,
)

_BUILD_LOCK = threading.Lock()


def ensure_jar(jar_path: Path = JAR_PATH, source_dir: Path = SOURCE_DIR) -> Path:
    """The simulator jar, (re)built first when the Java sources are here and newer than it.

    A source checkout (or editable install) has ``simulator/`` next to the package: a missing or
    stale jar is rebuilt with javac, with a message on stderr. An installed wheel has only the jar.

    Raises:
        SimulatorBuildError: the jar is missing or stale and cannot be built (the fix named).
    """
    with _BUILD_LOCK:
        has_sources = bool(java_sources(source_dir))
        if not (jar_is_stale(source_dir, jar_path) if has_sources else not jar_path.exists()):
            return jar_path
        if not has_sources:
            raise SimulatorBuildError(
                f"the simulator jar is missing ({jar_path}) and no Java sources are installed: the package "
                "was installed without a JDK. Install JDK 17+ (javac) and reinstall gym-mario-latent "
                "from source (pip install --no-binary gym-mario-latent gym-mario-latent)."
            )
        state = "missing" if not jar_path.exists() else "older than its Java sources"
        if not jdk_tool_candidates("javac"):
            raise SimulatorBuildError(
                f"the simulator jar {jar_path} is {state} and no javac was found to build it "
                "($JAVA_HOME/bin, PATH): install JDK 17+ (e.g. `apt install openjdk-17-jdk-headless`) "
                "or run `make jar` where one is installed."
            )
        print(f"gym-mario-latent: simulator jar {state}; building {jar_path} with javac", file=sys.stderr)
        try:
            return build_jar(source_dir, jar_path)
        except (OSError, RuntimeError) as error:
            raise SimulatorBuildError(f"building the simulator jar failed: {error}") from error
