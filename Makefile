# One entry point for a fresh clone: `make demo` (set-up + demo) and `make test` (set-up + tests).
# Every target is idempotent: it refreshes only what is out of date.

# The first Python 3.13 that really runs: python3.13 on PATH, else any pyenv 3.13.x (a pyenv shim alone may not run).
PYTHON ?= $(shell for candidate in python3.13 $$(pyenv root 2>/dev/null)/versions/3.13*/bin/python3.13; do \
	"$$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null \
	&& { command -v "$$candidate"; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup roms jar emulator demo test lint bench clean

# The Java simulator: plain javac, no dependencies, one jar the Python package finds.
JAVA_SOURCES := $(shell find simulator -name '*.java' -not -path '*/test/*' 2>/dev/null)
JAR := gym_mario_latent/simulator_bridge/simulator.jar

$(STAMP): setup.cfg setup.py pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.13 not found: install it or pass PYTHON=/path/to/python3.13"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,ray,rllib,rl,search,explorer,video]'
	@touch $(STAMP)

setup: $(STAMP) roms $(if $(JAVA_SOURCES),jar) emulator

# Our NES core (C, optional): rebuilt in place when its sources change; a failed compile only warns.
EMULATOR_SOURCES := $(wildcard gym_mario_latent/emulator/*.c gym_mario_latent/emulator/*.h)
EMULATOR_STAMP := $(VENV)/.emulator-built

emulator: $(EMULATOR_STAMP)

$(EMULATOR_STAMP): $(STAMP) $(EMULATOR_SOURCES)
	$(BIN)/python setup.py --quiet build_ext --inplace
	@touch $(EMULATOR_STAMP)

jar: $(JAR)

$(JAR): $(JAVA_SOURCES)
	@test -n "$(JAVA_SOURCES)" || { echo "no Java sources under simulator/"; exit 2; }
	$(if $(wildcard $(BIN)/python),$(BIN)/python,python3) gym_mario_latent/simulator_bridge/build_jar.py

# Download the gym-super-mario-bros wheel (never installed), verify and import its ROMs.
roms: $(STAMP)
	$(BIN)/gym-mario-latent rom import --from-pypi --skip-existing

demo: setup
	$(BIN)/python examples/demo.py

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python benchmarks/bench_nes.py

clean:
	rm -rf $(VENV) build dist *.egg-info
