"""``gym-mario-latent level``: play, watch, evaluate and draw level files, and sample new ones from the VAE.

A level file holds rows of tile characters (VGLC/VAE alphabet by default, ``--alphabet mario-ai``
for the Mario AI Framework's), or MarioVAE's list of int rows (``[[2, 2, ...], ...]``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from gym_mario_latent.cli.arguments import add_action, add_command_group, output_path, positive_int, seed
from gym_mario_latent.errors import LevelFileError, LevelFormatError, SimulatorError
from gym_mario_latent.files import check_output_file, not_a_regular_file, output_file, output_folder
from gym_mario_latent.levels import (
    check_animation_path,
    draw_trace,
    ids_to_text,
    int_list_string_to_ids,
    mario_ai_text_to_ids,
    render_level,
    save_png,
    save_trace_animation,
    text_to_ids,
)
from gym_mario_latent.simulator_bridge import (
    GameSettings,
    LevelRequests,
    Padding,
    Simulator,
    Telemetry,
    default_facts,
    ensure_jar,
    find_java,
    play_in_window,
)
from gym_mario_latent.simulator_bridge.level_input import ALPHABETS, level_to_rows
from gym_mario_latent.simulator_bridge.runtime import ONE_LEVEL_JVM_OPTIONS

TABLE_COLUMNS = ("status", "completion", "jumps", "kills", "coins", "time")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _read[T](path: str | Path, convert: Callable[[str | np.ndarray], T]) -> T:
    """`convert` applied to a level file's text, or to its tile ids if it holds MarioVAE int rows.

    Only a regular file of at most the simulator's request size (its ``max_line_bytes``) is read; a
    UTF-8 byte-order mark before the first row is skipped.

    Raises:
        LevelFileError: the file cannot be read, is no regular file, or is larger than any level.
        LevelFormatError: its content is no level; the message names the file.
    """
    if problem := not_a_regular_file(path):
        raise LevelFileError(f"cannot read level file: {problem}")
    limit = default_facts().limits.max_line_bytes
    try:
        with open(path, "rb") as file:
            data = file.read(limit + 1)
        if len(data) <= limit:
            text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise LevelFileError(f"cannot read level file {path}: {error}") from None
    if len(data) > limit:
        raise LevelFileError(
            f"level file {path} is larger than the simulator reads (at most {limit} bytes: max_line_bytes)"
        )
    try:
        return convert(int_list_string_to_ids(text) if text.lstrip().startswith("[") else text)
    except LevelFormatError as error:
        raise LevelFormatError(f"{path}: {error}") from None


def read_level(path: str | Path, alphabet: str) -> list[str]:
    """The rows of a level file checked for the simulator, in `alphabet` (int rows are converted to it).

    Raises:
        LevelFileError: the file cannot be read.
        LevelFormatError: its content is no level of `alphabet`; the message names the file.
    """
    return _read(path, lambda level: level_to_rows(level, alphabet))


def _read_ids(path: str | Path, alphabet: str) -> np.ndarray:
    """The VAE tile ids of a level file (text converted once, int rows as they are), to draw it."""
    text_to_vae = text_to_ids if alphabet == "vglc" else mario_ai_text_to_ids
    return _read(path, lambda level: text_to_vae(level) if isinstance(level, str) else level)


def _add_level_arguments(parser: argparse.ArgumentParser, files: bool = False) -> None:
    if files:
        parser.add_argument("files", nargs="+", metavar="FILE", help="level files")
    else:
        parser.add_argument("file", metavar="FILE", help="level file")
    parser.add_argument("--alphabet", choices=ALPHABETS, default="vglc", help="tile characters of the files")


def _add_game_arguments(parser: argparse.ArgumentParser, agent: bool = True) -> None:
    facts = default_facts()  # the jar's agents and defaults
    defaults = facts.defaults
    if agent:
        parser.add_argument("--agent", choices=facts.agents, default=defaults["agent"], help="who plays")
        parser.add_argument(
            "--node-budget",
            type=int,
            default=defaults["node_budget"],
            help="A* search nodes per game tick (more plays better, slower)",
        )
    by_hand = f" (default: {facts.by_hand['time_limit']:g} for a person)"
    parser.add_argument(
        "--time-limit",
        type=float,
        default=defaults["time_limit"] if agent else None,
        help="game seconds before a timeout" + ("" if agent else by_hand),
    )
    parser.add_argument(
        "--no-padding",
        action="store_true",
        help="play the file as it is, without the 3 flat columns added before and after it (the "
        "finish) that the bridge adds to every segment",
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``level`` command and its eval / play / watch / render / snapshot / sample actions."""
    actions = add_command_group(
        subparsers,
        "level",
        help="play, watch, evaluate and draw level files; sample levels from the VAE",
        description="Level files on the Java simulator, without finding its jar: rows of tile "
        "characters (VGLC/VAE alphabet X S - ? Q E < > [ ] o by default) or MarioVAE's int rows.",
    )

    eval_parser = add_action(
        actions,
        "eval",
        help="play level files headless with an agent and print their telemetry",
        description="Play every FILE headless with the agent, in parallel on a pool of simulator "
        "workers (one per CPU), and print one row per file (status, completion of the file's "
        "columns, jumps, kills, coins, game seconds) or, with --json, one JSON object per line "
        "(the file and its whole telemetry).",
        run=run_eval,
    )
    _add_level_arguments(eval_parser, files=True)
    _add_game_arguments(eval_parser)
    eval_parser.add_argument("--workers", type=int, help="simulator JVMs side by side (default: one per CPU)")
    eval_parser.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    eval_parser.add_argument("--quiet", action="store_true", help="no progress bar")

    play_parser = add_action(
        actions,
        "play",
        help="play a level file yourself in a window",
        description="Open a window on FILE and play it at the keyboard: arrows move, s jumps, a "
        "runs (and fires); Esc gives up. When the game ends the window shows the result until you "
        "press a key. Prints the telemetry. Needs a display (xvfb-run on a headless machine).",
        run=run_play,
    )
    _add_level_arguments(play_parser)
    _add_game_arguments(play_parser, agent=False)
    play_parser.add_argument("--json", action="store_true", help="print the whole telemetry as JSON")

    watch_parser = add_action(
        actions,
        "watch",
        help="watch an agent play a level file in a window",
        description="Open a window on FILE in which the agent plays it in real time; the result "
        "stays on screen until you press a key (Esc ends the game early). Prints the telemetry. "
        "Needs a display (xvfb-run on a headless machine).",
        run=run_watch,
    )
    _add_level_arguments(watch_parser)
    _add_game_arguments(watch_parser)
    watch_parser.add_argument("--json", action="store_true", help="print the whole telemetry as JSON")

    render_parser = add_action(
        actions,
        "render",
        help="draw a level file as a PNG with this package's tile art",
        description="Draw FILE with the tile art of gym_mario_latent.levels (the pictures of `vae "
        "grid` and `vae sample`): one picture of the whole level, enemies shown as goombas. With --trace "
        "the agent (--agent) plays it headless first and its path is drawn on the picture (take-offs "
        "marked, a flag at the finish, a cross where it died, a square where time ran out); --animate "
        "OUT.gif (or OUT.mp4, with the video extra) also writes the playthrough, Mario moving along the "
        "path over the level, in game time.",
        run=run_render,
    )
    _add_level_arguments(render_parser)
    render_parser.add_argument("--out", metavar="PNG", help="picture to write (default: FILE with .png)")
    render_parser.add_argument("--tile-size", type=int, default=16, help="pixels per tile")
    render_parser.add_argument("--trace", action="store_true", help="draw the agent's path on the picture")
    render_parser.add_argument(
        "--animate",
        metavar="OUT",
        type=output_path,
        help="also write the playthrough: OUT.gif (a looping GIF), or OUT.mp4 (an H.264 video; needs "
        "imageio-ffmpeg: pip install 'gym-mario-latent[video]'); implies --trace",
    )
    _add_game_arguments(render_parser)

    snapshot_parser = add_action(
        actions,
        "snapshot",
        help="draw a level file as the simulator shows it as the game starts",
        description="Draw FILE with the simulator's own art (the jar's `snapshot` mode, no display "
        "needed): the whole level at the first tick, Mario at his start and every enemy where it "
        "will appear, one pixel per game pixel.",
        run=run_snapshot,
    )
    _add_level_arguments(snapshot_parser)
    snapshot_parser.add_argument("--out", metavar="PNG", help="picture to write (default: FILE with .png)")

    sample_parser = add_action(
        actions,
        "sample",
        help="decode VAE prior samples into level files",
        description="Draw N latents from the VAE's prior N(0, I) with --seed, decode the most "
        "likely 14x14 level of each and write it as VGLC level text, DIR/sample_000.txt and so on, "
        "ready for `level eval DIR/*.txt`.",
        run=run_sample,
    )
    sample_parser.add_argument("-n", "--count", type=positive_int, default=8, help="number of levels")
    sample_parser.add_argument("--out", metavar="DIR", default="levels", help="folder for the level files")
    sample_parser.add_argument("--seed", type=seed, default=0, help="seed of the latents")
    sample_parser.add_argument(
        "--checkpoint",
        metavar="PATH",
        help="VAE checkpoint (NAME, NAME.safetensors or NAME.json); default: the pretrained model",
    )


def _settings(args: argparse.Namespace, **more: Any) -> GameSettings:
    """The command line's game settings (and ``more``); bad settings are reported as usage errors."""
    settings = {"time_limit": args.time_limit} if args.time_limit is not None else {}
    settings |= more
    if hasattr(args, "agent"):
        settings |= {"agent": args.agent, "node_budget": args.node_budget}
    try:
        return GameSettings(**settings)
    except ValueError as error:
        args.parser.error(str(error))


def _table_row(telemetry: Telemetry) -> tuple[str, ...]:
    return (
        telemetry.status,
        f"{telemetry.completion:.2f}",
        str(telemetry.jumps),
        str(telemetry.kills_total),
        str(telemetry.coins),
        f"{telemetry.game_time:.1f}",
    )


def _print_results(files: list[str], results: list[Telemetry], as_json: bool) -> None:
    """One JSON object per file, or a table with a row per file."""
    if as_json:
        for file, telemetry in zip(files, results, strict=True):
            print(json.dumps({"file": file, **telemetry.to_dict()}))
        return
    rows = [("level", *TABLE_COLUMNS)]
    rows += [(file, *_table_row(telemetry)) for file, telemetry in zip(files, results, strict=True)]
    name_width = max(len(name) for name, *_ in rows)
    widths = [max(len(column), len("timeout")) for column in TABLE_COLUMNS]
    for name, *cells in rows:
        columns = "".join(f" {cell:>{width}}" for cell, width in zip(cells, widths, strict=True))
        print(f"{name:<{name_width}}{columns}")


def run_eval(args: argparse.Namespace) -> int:
    """Play every file headless and print the table or JSON lines."""
    if args.workers is not None and args.workers < 1:
        args.parser.error(f"--workers must be at least 1; got {args.workers}")
    levels = [read_level(file, args.alphabet) for file in args.files]  # every file checked first
    workers = min(args.workers or os.process_cpu_count() or 1, len(levels))  # no idle JVMs
    padding = not args.no_padding
    with Simulator(workers, settings=_settings(args), alphabet=args.alphabet, padding=padding) as simulator:
        results = simulator.evaluate_many(levels, progress=not args.quiet)
    _print_results(args.files, results, args.json)
    if not args.json:
        statuses = [telemetry.status for telemetry in results]
        counts = ", ".join(f"{statuses.count(status)} {status}" for status in ("win", "lose", "timeout"))
        print(f"{len(results)} level(s): {counts}")
    return 0


def _show(args: argparse.Namespace, visualize: bool) -> int:
    rows = read_level(args.file, args.alphabet)
    requests = LevelRequests(_settings(args), args.alphabet, None if args.no_padding else Padding())
    time_limit = None if visualize else args.time_limit
    telemetry = play_in_window(rows, requests, visualize=visualize, time_limit=time_limit)
    _print_results([args.file], [telemetry], args.json)
    return 0


def run_play(args: argparse.Namespace) -> int:
    """Open the level in a window for a person at the keyboard."""
    return _show(args, visualize=False)


def run_watch(args: argparse.Namespace) -> int:
    """Open the level in a window where the agent plays."""
    return _show(args, visualize=True)


def _picture_path(args: argparse.Namespace) -> Path:
    return Path(args.out) if args.out else Path(args.file).with_suffix(".png")


def run_render(args: argparse.Namespace) -> int:
    """Draw the level with our tile art."""
    if args.tile_size < 1:
        args.parser.error(f"--tile-size must be at least 1; got {args.tile_size}")
    out = _picture_path(args)
    check_output_file(out)  # before drawing
    if args.animate:
        try:
            check_animation_path(args.animate)  # before playing
        except (ValueError, ImportError) as error:
            args.parser.error(f"--animate: {error}")
    level = _read_ids(args.file, args.alphabet)
    if not (args.trace or args.animate):
        print(f"wrote {save_png(render_level(level, args.tile_size), out)}")
        return 0
    padding = None if args.no_padding else Padding()
    with Simulator(1, settings=_settings(args, trace=True), padding=padding is not None) as simulator:
        telemetry = simulator.evaluate(level)
    offset = padding.start if padding is not None else 0
    picture = draw_trace(level, telemetry.trace, telemetry.status, args.tile_size, column_offset=offset)
    print(f"wrote {save_png(picture, out)}: {args.agent} {telemetry.status}, completion "
          f"{telemetry.completion:.2f}, {telemetry.jumps} jumps, {telemetry.ticks} ticks")  # fmt: skip
    if args.animate:
        gif = save_trace_animation(
            level, telemetry.trace, args.animate, telemetry.status, args.tile_size, column_offset=offset
        )
        print(f"wrote {gif}")
    return 0


def run_snapshot(args: argparse.Namespace) -> int:
    """Draw the level with the simulator's art (the jar's snapshot mode, its PNG read from stdout)."""
    out = _picture_path(args)
    check_output_file(out)  # before starting a JVM
    rows = read_level(args.file, args.alphabet)
    command = [find_java().path, *ONE_LEVEL_JVM_OPTIONS, "-Djava.awt.headless=true", "-cp", str(ensure_jar())]
    command += ["Main", "snapshot", "--alphabet", args.alphabet, "-", "-"]
    level = ("\n".join(rows) + "\n").encode("utf-8")
    result = subprocess.run(command, input=level, capture_output=True, timeout=120)
    if result.returncode != 0 or not result.stdout.startswith(PNG_SIGNATURE):
        stderr = result.stderr.decode("utf-8", "replace").strip() or "no PNG on its stdout"
        raise SimulatorError(f"the simulator's snapshot failed (exit {result.returncode}): {stderr}")
    with output_file(out) as temporary:
        temporary.write_bytes(result.stdout)
    print(f"wrote {out}")
    return 0


def run_sample(args: argparse.Namespace) -> int:
    """Write prior samples of the VAE as VGLC level files."""
    if args.count < 1:
        args.parser.error(f"-n/--n must be at least 1; got {args.count}")
    from gym_mario_latent.vae import load_checkpoint, load_pretrained, sample_levels  # imports torch

    out = output_folder(args.out)
    model = load_checkpoint(args.checkpoint) if args.checkpoint else load_pretrained()
    for index, level in enumerate(sample_levels(model, args.count, args.seed)):
        path = out / f"sample_{index:03d}.txt"
        with output_file(path) as temporary:
            temporary.write_text(ids_to_text(level) + "\n", encoding="utf-8")
        print(f"wrote {path}")
    print(f"play them: gym-mario-latent level eval {out / 'sample_*.txt'}")
    return 0
