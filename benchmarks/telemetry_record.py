"""Records the simulator's telemetry on every VGLC window and level, and compares a later run with it.

The proof that a change to the simulator left its behaviour alone: record before the change, change
the code, compare. Plays, through the real bridge (:class:`Simulator`: persistent ``serve`` workers
of the real jar), the 2 728 VGLC windows (14 columns, stride 1, cut from the level files the package
ships in ``gym_mario_latent/vae/vglc/``, cannons included) and the 15 whole VGLC levels, with the
default game settings and the per-tick trace on, in four variants: ``astar`` and ``astar-reference``,
each with the bridge's default padding and without padding. Each game's record is the telemetry
object exactly as the jar sent it plus the segment completion the bridge reports; the records go one
JSON line each into a gzip file (keep it under ``out/``, which git ignores).

``compare`` plays exactly the games a record holds again (or, with ``--against``, reads a second
record) and compares each game's record as JSON text, so one changed float bit, key or key order
counts. It prints a table (games compared, identical, different), names the first differences, and
exits with status 1 if any game differs (2 for a file it cannot use). A change that adds telemetry
keys names them with ``--ignore-new-key KEY`` (repeatable): they are left out of the games played now
before comparing, so every key the baseline has must still be there with the same value, in the same
order; naming a key any baseline game already has is refused.

    # before the change (or: build the old jar once, copy it, and pass --jar to both commands)
    .venv/bin/python benchmarks/telemetry_record.py record out/telemetry/before.jsonl.gz
    # after it
    .venv/bin/python benchmarks/telemetry_record.py compare out/telemetry/before.jsonl.gz
    # after a change that added the telemetry key fall_kills
    .venv/bin/python benchmarks/telemetry_record.py compare out/telemetry/before.jsonl.gz \\
        --ignore-new-key fall_kills
    # a quick sample: 40 windows spread over the 2 728, 2 levels, one variant
    .venv/bin/python benchmarks/telemetry_record.py record out/sample.jsonl.gz --windows 40 --levels 2 \\
        --variant astar/padded

The whole set is 10 972 games, 5–10 minutes on two busy cores (``--workers`` sets the JVMs;
default one per CPU). Wall-clock caps are off, so machine load cannot change a result.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any, NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from simulator_support import REPO, ensure_jar, vglc_levels

from gym_mario_latent.simulator_bridge import Simulator

#: Agent and padding of each variant; the bridge pads by default.
VARIANTS = ("astar/padded", "astar/unpadded", "astar-reference/padded", "astar-reference/unpadded")
WINDOW_COLUMNS = 14
#: Differences named below the table, at most.
SHOWN_DIFFERENCES = 10
FORMAT = "gym-mario-latent telemetry record 1"


def every_game() -> dict[str, dict[str, str]]:
    """Level text by set ("windows", "levels") and name (``mario-1-1@17``: the window from column 17)."""
    levels = vglc_levels()
    windows = {}
    for name, text in levels.items():
        rows = text.splitlines()
        for x in range(len(rows[0]) - WINDOW_COLUMNS + 1):
            windows[f"{name}@{x}"] = "".join(row[x : x + WINDOW_COLUMNS] + "\n" for row in rows)
    return {"windows": windows, "levels": levels}


def spread(names: list[str], count: int | None) -> list[str]:
    """`count` of `names`, evenly spread (all of them for None)."""
    if count is None or count >= len(names):
        return names
    return [names[i * len(names) // count] for i in range(count)]


def play(variant: str, texts: list[str], workers: int | None, jar: Path) -> list[dict[str, Any]]:
    """Plays `texts` with one variant; one record (the jar's telemetry, the bridge's completion) each."""
    agent, padding = variant.split("/")
    with Simulator(
        workers, agent=agent, trace=True, padding=padding == "padded", wall_time_limit=None, jar=jar
    ) as simulator:
        results = simulator.evaluate_many(texts, progress=True)
    return [{"telemetry": t.raw, "completion": t.completion} for t in results]


def describe(jar: Path) -> dict[str, str]:
    """The checkout's commit (``+changes`` with uncommitted edits), the jar and the jar's hash."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") + ("+changes" if git("status", "--porcelain") else "")
    return {"commit": commit, "jar": str(jar), "jar_sha256": hashlib.sha256(jar.read_bytes()).hexdigest()}


def record_games(
    games: dict[str, dict[str, str]], variants: list[str], workers: int | None, jar: Path
) -> tuple[dict, dict[tuple, dict]]:
    """Plays every game in every variant; returns the header and the records by (variant, set, name)."""
    header = {"format": FORMAT, **describe(jar), "variants": variants}
    header["sets"] = {set_name: list(texts) for set_name, texts in games.items()}
    keys = [(set_name, name) for set_name, texts in games.items() for name in texts]
    records = {}
    for variant in variants:
        print(
            f"{variant}: " + ", ".join(f"{len(texts)} {set_name}" for set_name, texts in games.items()),
            file=sys.stderr,
        )
        played = play(variant, [games[set_name][name] for set_name, name in keys], workers, jar)
        for (set_name, name), record in zip(keys, played, strict=True):
            records[variant, set_name, name] = record
    return header, records


def save(path: Path, header: dict, records: dict[tuple, dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(json.dumps(header) + "\n")
        for (variant, set_name, name), record in records.items():
            out.write(json.dumps({"variant": variant, "set": set_name, "name": name, **record}) + "\n")


def load(path: Path) -> tuple[dict, dict[tuple, dict]]:
    """The header and records of a saved file; exits (status 2) with a message if it is not one."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            header = json.loads(next(lines))
            if header.get("format") != FORMAT:
                raise ValueError(f"not a telemetry record (format {header.get('format')!r})")
            records = {}
            for line in lines:
                entry = json.loads(line)
                records[entry.pop("variant"), entry.pop("set"), entry.pop("name")] = entry
    except (OSError, EOFError, ValueError, StopIteration, KeyError) as error:
        fail(f"cannot read {path}: {error}")
    return header, records


def fail(message: str) -> NoReturn:
    """Stops with `message` and exit status 2 (unusable input, as opposed to 1: games differ)."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def same(a: Any, b: Any) -> bool:
    """Whether two JSON values are the same text (so 0.0 and -0.0, or reordered keys, differ)."""
    return json.dumps(a) == json.dumps(b)


def difference(old: dict[str, Any], new: dict[str, Any]) -> str:
    """How two records of one game differ, in words."""
    old_t, new_t = old["telemetry"], new["telemetry"]
    parts = []
    for key in dict.fromkeys([*old_t, *new_t]):
        a, b = old_t.get(key, "<missing>"), new_t.get(key, "<missing>")
        if same(a, b):
            continue
        if key == "trace" and isinstance(a, list) and isinstance(b, list):
            tick = next(
                (i for i, (p, q) in enumerate(zip(a, b, strict=False)) if p != q), min(len(a), len(b))
            )
            parts.append(f"trace from tick {tick}")
        else:
            parts.append(f"{key} {json.dumps(a)} -> {json.dumps(b)}")
    if not parts and list(old_t) != list(new_t):
        parts.append("key order")
    if not same(old["completion"], new["completion"]):
        parts.append(f"bridge completion {old['completion']} -> {new['completion']}")
    return ", ".join(parts)


def compare(baseline: dict[tuple, dict], current: dict[tuple, dict]) -> tuple[list[list], list[str]]:
    """The table rows (variant, set, compared, identical, different) and each difference in words."""
    counts: dict[tuple[str, str], Counter] = {}
    differences = []
    for key, old in baseline.items():
        variant, set_name, name = key
        identical = same(old, current[key])
        counts.setdefault((variant, set_name), Counter())["identical" if identical else "different"] += 1
        if not identical:
            differences.append(f"{variant} {set_name} {name}: {difference(old, current[key])}")
    rows = [[v, s, c.total(), c["identical"], c["different"]] for (v, s), c in counts.items()]
    return [*rows, ["total", "", *(sum(row[i] for row in rows) for i in (2, 3, 4))]], differences


def drop_new_keys(baseline: dict[tuple, dict], current: dict[tuple, dict], keys: list[str]) -> None:
    """Removes `keys` (added since the baseline) from the current records; exits if the baseline has one."""
    old = [key for key in keys if any(key in record["telemetry"] for record in baseline.values())]
    if old:
        fail(f"--ignore-new-key {', '.join(old)}: the baseline already has it, so it must compare equal")
    for record in current.values():
        for key in keys:
            record["telemetry"].pop(key, None)


def print_table(rows: list[list]) -> None:
    print(f"{'variant':<26}{'set':<9}{'compared':>9}{'identical':>11}{'different':>11}")
    for variant, set_name, compared, identical, different in rows:
        print(f"{variant:<26}{set_name:<9}{compared:>9}{identical:>11}{different:>11}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    record = commands.add_parser("record", help="play the games and save their telemetry")
    record.add_argument("path", type=Path, help="file to write, e.g. out/telemetry/before.jsonl.gz")
    record.add_argument("--windows", type=int, help="windows to play, evenly spread (default: all 2 728)")
    record.add_argument("--levels", type=int, help="whole levels to play, evenly spread (default: all 15)")
    record.add_argument("--variant", action="append", choices=VARIANTS, help="repeatable (default: all four)")
    check = commands.add_parser("compare", help="play the games of a saved record again and compare")
    check.add_argument("path", type=Path, help="a file written by `record`")
    check.add_argument("--save", type=Path, help="also write the records played now to this file")
    check.add_argument("--against", type=Path, help="compare with this saved record instead of playing")
    check.add_argument(
        "--ignore-new-key",
        action="append",
        default=[],
        metavar="KEY",
        help="a telemetry key added since the baseline, left out of the comparison (repeatable)",
    )
    for command in (record, check):
        command.add_argument("--workers", type=int, help="simulator JVMs (default: one per CPU)")
        command.add_argument(
            "--jar",
            type=Path,
            help="the simulator jar to play with (default: the package's, rebuilt if stale)",
        )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    games = every_game()
    if args.command == "record":
        chosen = {"windows": spread(list(games["windows"]), args.windows)}
        chosen["levels"] = spread(list(games["levels"]), args.levels)
        games = {
            set_name: {name: games[set_name][name] for name in names} for set_name, names in chosen.items()
        }
        header, records = record_games(
            games, args.variant or list(VARIANTS), args.workers, args.jar or ensure_jar()
        )
        save(args.path, header, records)
        print(f"recorded {len(records)} games in {args.path}")
        statuses = Counter((variant, r["telemetry"]["status"]) for (variant, _, _), r in records.items())
        for variant in header["variants"]:
            print(
                f"  {variant:<26}"
                + ", ".join(f"{s} {statuses[variant, s]}" for s in ("win", "lose", "timeout"))
            )
        return

    old_header, baseline = load(args.path)
    if args.against:
        header, current = load(args.against)
        if set(current) != set(baseline):
            fail(f"{args.path} and {args.against} do not hold the same games")
    else:
        games = {
            set_name: {name: games[set_name][name] for name in names}
            for set_name, names in old_header["sets"].items()
        }
        header, current = record_games(games, old_header["variants"], args.workers, args.jar or ensure_jar())
        if args.save:
            save(args.save, header, current)
    drop_new_keys(baseline, current, args.ignore_new_key)
    rows, differences = compare(baseline, current)
    for name, run in (("baseline", old_header), ("compared", header)):
        print(f"{name + ':':<10}{run['commit']}, jar {run['jar_sha256'][:12]} ({run['jar']})")
    if args.ignore_new_key:
        print(f"ignored:  telemetry keys new since the baseline: {', '.join(args.ignore_new_key)}")
    print_table(rows)
    for line in differences[:SHOWN_DIFFERENCES]:
        print("  " + line)
    if len(differences) > SHOWN_DIFFERENCES:
        print(f"  … and {len(differences) - SHOWN_DIFFERENCES} more")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
