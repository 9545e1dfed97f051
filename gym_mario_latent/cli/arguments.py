"""What the command lines share: one-line usage errors and the checked argument types."""

import argparse
from pathlib import Path
from typing import NoReturn


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line with the fix, and exit status 2.

    Sub-command parsers made with ``add_subparsers`` are of the same class.
    """

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def positive_int(text: str) -> int:
    """An integer ≥ 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive integer")
    return value


def non_negative_int(text: str) -> int:
    """An integer ≥ 0."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def png_path(text: str) -> str:
    """A path to write a PNG to: anything but an existing folder."""
    if Path(text).is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder: give the path of the PNG file to write")
    return text
