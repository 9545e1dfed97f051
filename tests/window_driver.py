"""Drives a simulator window with real key presses (xdotool), inside a virtual X display.

Run inside a display (the tests start it with ``run_in_virtual_display``)::

    python window_driver.py [--hold-right SECONDS | --hold-right-to-the-end] [--escape]
                            [--close-result] -- COMMAND...

It starts COMMAND, waits for its window and the keyboard focus, presses what it is told, and prints
one JSON line: whether the window and focus came, whether the result screen showed (and the game was
still open a second later, and how many JVMs the command ran then), the exit status and the
command's stdout and stderr.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time

import psutil

WINDOW_TITLE = "gym-mario-latent"
RESULT_TITLE = "press any key to close"  # the end of the title of the result screen (GameWindow.java)
RESULT_SCREEN_TIMEOUT = 90  # seconds for a game to end by itself, generous for a busy machine


def xdotool(*args: str) -> str:
    """xdotool's output ("" when it fails, e.g. no window has the keyboard focus yet)."""
    result = subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=10)
    return result.stdout.strip() if result.returncode == 0 else ""


def wait_for(condition, process: subprocess.Popen, seconds: float) -> str:
    """Polls `condition()` until it returns something, the process ends or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    return ""


def jvms(pid: int) -> int:
    """Java processes among the descendants of process `pid` (and itself)."""
    try:
        process = psutil.Process(pid)
        return sum(p.name() == "java" for p in [process, *process.children(recursive=True)])
    except psutil.Error:
        return 0


def drive(args: argparse.Namespace) -> dict:
    game = subprocess.Popen(args.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    report = {"window": False, "focus": False, "result_screen": False, "open_on_result": False}
    try:
        window = wait_for(lambda: xdotool("search", "--name", WINDOW_TITLE).split("\n")[0], game, 60)
        # the window shows, then Java takes the X keyboard focus (no window manager hands it over)
        focus = window and wait_for(lambda: xdotool("getwindowfocus"), game, 15)
        report |= {"window": bool(window), "focus": bool(focus)}
        if focus:
            time.sleep(0.3)  # and gives it to the game's canvas
            if args.hold_right is not None or args.hold_right_to_the_end:
                xdotool("keydown", "Right")
            if args.hold_right is not None:
                time.sleep(args.hold_right)
            if args.hold_right_to_the_end:
                wait_for(lambda: xdotool("search", "--name", RESULT_TITLE), game, RESULT_SCREEN_TIMEOUT)
            xdotool("keyup", "Right")
            if args.escape:
                xdotool("key", "Escape")
            if args.close_result:
                shown = wait_for(
                    lambda: xdotool("search", "--name", RESULT_TITLE), game, RESULT_SCREEN_TIMEOUT
                )
                time.sleep(1.0)  # the result screen stays: the game has not closed by itself
                report |= {"result_screen": bool(shown), "open_on_result": game.poll() is None}
                report["jvms_on_result"] = jvms(game.pid)
                xdotool("key", "space")
        stdout, stderr = game.communicate(timeout=60)
    finally:
        if game.poll() is None:
            game.kill()
            stdout, stderr = game.communicate()
    return {**report, "exit": game.returncode, "stdout": stdout, "stderr": stderr}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold-right", type=float, metavar="SECONDS", help="hold Right this long")
    parser.add_argument("--hold-right-to-the-end", action="store_true", help="hold Right until the game ends")
    parser.add_argument("--escape", action="store_true", help="then press Esc")
    parser.add_argument("--close-result", action="store_true", help="wait for the result screen, press a key")
    parser.add_argument("command", nargs="+", help="the command that opens the window (after --)")
    print(json.dumps(drive(parser.parse_args())))


if __name__ == "__main__":
    main()
