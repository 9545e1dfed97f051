"""Install hooks: compile the Java simulator into the package's ``simulator.jar`` and the C NES core into
``gym_mario_latent/emulator/_nes`` (metadata: setup.cfg).

A `build` sub-command, so regular and editable installs, sdists built into wheels and
``python -m build`` all run it. The compile step itself is stdlib-only
(gym_mario_latent/simulator_bridge/build_jar.py), loaded by path because the package's
dependencies are not installed yet. Without javac the install still succeeds, with a warning;
the bridge then explains how to get the jar when it is first used. Likewise without a C compiler: the NES
core is optional (nes-py stays the emulator), so a failed compile warns instead of failing the install.
"""

import importlib.util
import sys
from pathlib import Path
from typing import ClassVar

from setuptools import Command, Extension, setup
from setuptools.command.build import build
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
JAR_IN_PACKAGE = Path("gym_mario_latent", "simulator_bridge", "simulator.jar")


def _load_build_jar():
    spec = importlib.util.spec_from_file_location(
        "build_jar", HERE / "gym_mario_latent" / "simulator_bridge" / "build_jar.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildJar(Command):
    """Compile simulator/ with javac into gym_mario_latent/simulator_bridge/simulator.jar."""

    description = __doc__
    user_options: ClassVar[list] = []
    editable_mode = False

    def initialize_options(self):
        self.build_lib = None

    def finalize_options(self):
        self.set_undefined_options("build_py", ("build_lib", "build_lib"))

    def _jar(self) -> Path:
        # an editable install runs the package from the source tree: build the jar in place
        return HERE / JAR_IN_PACKAGE if self.editable_mode else Path(self.build_lib) / JAR_IN_PACKAGE

    def run(self):
        build_jar = _load_build_jar()
        jar = self._jar()
        if not build_jar.jar_is_stale(HERE / "simulator", jar):
            return
        try:
            build_jar.build_jar(HERE / "simulator", jar)
        except (OSError, RuntimeError) as error:
            self.warn(f"simulator.jar not built ({error}); install JDK 17+ and reinstall to get it")

    def get_outputs(self):
        return [] if self.editable_mode else [str(self._jar())]

    def get_source_files(self):
        return [str(p.relative_to(HERE)) for p in _load_build_jar().java_sources(HERE / "simulator")]


class OptionalBuildExt(build_ext):
    """Build the C extensions, but only warn when one cannot be compiled (no compiler, no Python headers)."""

    def run(self):
        try:
            super().run()
        except Exception as error:  # distutils raises several unrelated classes here
            self.warn(f"the native NES core was not built ({error}); the NES envs will use nes-py")

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as error:
            self.warn(f"the native NES core was not built ({error}); the NES envs will use nes-py")


NES_CORE = Extension(
    "gym_mario_latent.emulator._nes",
    sources=["gym_mario_latent/emulator/nes_core.c", "gym_mario_latent/emulator/_nes_module.c"],
    depends=["gym_mario_latent/emulator/nes_core.h"],
    extra_compile_args=["-std=c11", "-O3"] if not sys.platform.startswith("win") else [],
    optional=True,
)

build.sub_commands = [*build.sub_commands, ("build_jar", None)]
setup(cmdclass={"build_jar": BuildJar, "build_ext": OptionalBuildExt}, ext_modules=[NES_CORE])
