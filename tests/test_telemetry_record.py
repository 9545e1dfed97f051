"""benchmarks/telemetry_record.py: records the jar's telemetry and finds every difference in a later run.

Whether a change to the simulator kept its behaviour can only be told by playing the same games
before and after it; the script does that on all 2 728 VGLC windows and 15 levels (run by hand
around a change, see its docstring). These tests check the tool itself on a small sample: a fresh
run of the same jar compares identical, and one changed bit of one game is found and fails the run.
"""

from __future__ import annotations

import gzip
import json
import math
import subprocess
import sys

import pytest
from simulator_support import REPO

SCRIPT = REPO / "benchmarks" / "telemetry_record.py"
SAMPLE = ["--windows", "6", "--levels", "1", "--variant", "astar/padded", "--variant", "astar/unpadded"]


def run_tool(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(SCRIPT), *args, "--workers", "1"]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=REPO)


def table_row(output: str, *first_cells: str) -> list[str]:
    """The cells of the table's row that starts with `first_cells` (e.g. a variant and a set, or "total")."""
    rows = (line.split() for line in output.splitlines())
    return next(row for row in rows if row[: len(first_cells)] == list(first_cells))


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    path = tmp_path_factory.mktemp("telemetry") / "sample.jsonl.gz"
    result = run_tool("record", str(path), *SAMPLE)
    assert result.returncode == 0, result.stderr
    return path


def test_a_fresh_run_of_the_same_jar_compares_identical_game_for_game(recorded):
    result = run_tool("compare", str(recorded))
    assert result.returncode == 0, result.stdout + result.stderr
    assert table_row(result.stdout, "astar/padded", "windows") == ["astar/padded", "windows", "6", "6", "0"]
    assert table_row(result.stdout, "total") == ["total", "14", "14", "0"]


def test_one_changed_float_bit_is_found_named_and_fails_the_comparison(recorded, tmp_path):
    with gzip.open(recorded, "rt") as lines:
        header, *records = (json.loads(line) for line in lines)
    changed = next(r for r in records if r["variant"] == "astar/unpadded" and r["set"] == "levels")
    x = changed["telemetry"]["mario_x"]
    changed["telemetry"]["mario_x"] = math.nextafter(x, math.inf)  # the next double: one bit apart
    other = tmp_path / "changed.jsonl.gz"
    with gzip.open(other, "wt") as out:
        out.writelines(json.dumps(entry) + "\n" for entry in (header, *records))

    result = run_tool("compare", str(recorded), "--against", str(other))
    assert result.returncode == 1
    assert table_row(result.stdout, "astar/unpadded", "levels") == ["astar/unpadded", "levels", "1", "0", "1"]
    assert table_row(result.stdout, "total") == ["total", "14", "13", "1"]
    assert f"astar/unpadded levels {changed['name']}: mario_x {x}" in result.stdout


def test_a_file_that_is_not_a_record_is_refused_with_a_message(tmp_path):
    path = tmp_path / "not-a-record.jsonl.gz"
    with gzip.open(path, "wt") as out:
        out.write('{"hello": 1}\n')
    result = run_tool("compare", str(path), "--against", str(path))
    assert result.returncode == 2
    assert "not a telemetry record" in result.stderr


def test_keys_added_since_the_baseline_are_ignored_only_when_named_and_only_if_new(recorded, tmp_path):
    with gzip.open(recorded, "rt") as lines:
        header, *records = (json.loads(line) for line in lines)
    for record in records:
        record["telemetry"]["added_count"] = 7
    other = tmp_path / "added.jsonl.gz"
    with gzip.open(other, "wt") as out:
        out.writelines(json.dumps(entry) + "\n" for entry in (header, *records))

    unnamed = run_tool("compare", str(recorded), "--against", str(other))
    named = run_tool("compare", str(recorded), "--against", str(other), "--ignore-new-key", "added_count")
    old_key = run_tool("compare", str(recorded), "--against", str(other), "--ignore-new-key", "mario_x")

    assert unnamed.returncode == 1
    assert table_row(unnamed.stdout, "total") == ["total", "14", "0", "14"]
    assert named.returncode == 0, named.stdout + named.stderr
    assert table_row(named.stdout, "total") == ["total", "14", "14", "0"]
    assert "new since the baseline: added_count" in named.stdout
    assert old_key.returncode == 2
    assert "mario_x" in old_key.stderr and "already has it" in old_key.stderr
