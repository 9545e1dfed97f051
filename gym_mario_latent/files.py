"""Files at paths a user gives: what they are, and writing them so that a write either completes or
changes nothing.

Every file the package writes for a user (pictures, level files, checkpoints, the examples' outputs) goes
through :func:`output_file`: only a new path or an existing regular file (or a symlink to one) is written,
through a temporary file in the same folder that replaces the target in one rename. A folder, a device
(``/dev/full``, ``/dev/null``), a FIFO or a socket is refused before anything is written, and a failed
write (a full disk) leaves the target as it was and no temporary file behind.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gym_mario_latent.errors import OutputFileError

_KINDS = (
    (stat.S_ISREG, "a regular file"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def file_kind(mode: int) -> str:
    """What a file of ``st_mode`` `mode` is, in words ("a regular file", "a directory", "a FIFO", ...)."""
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def not_a_regular_file(path: str | os.PathLike) -> str | None:
    """``"PATH is not a regular file (it is a directory)"`` for an existing path (symlinks followed) that is
    no regular file; None for a regular file or a path that does not exist."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else f"{path} is not a regular file (it is {file_kind(mode)})"


def _mode_of_target(path: Path, cannot: str) -> int | None:
    """The file mode of a target to write, None if nothing is there yet; `cannot` starts the error."""
    try:
        return path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OutputFileError(f"{cannot}: {error.strerror or error}") from None


def check_output_file(path: str | os.PathLike) -> Path:
    """The file to replace when writing `path`: `path` with its symlinks resolved.

    Raises:
        OutputFileError: `path` (or what it links to) exists and is no regular file.
    """
    target = Path(os.path.realpath(path))
    mode = _mode_of_target(target, f"cannot write {path}")
    if mode is None:
        return target
    if stat.S_ISDIR(mode):
        raise OutputFileError(f"{path} is a folder: give the path of the file to write")
    if not stat.S_ISREG(mode):
        raise OutputFileError(
            f"{path} is not a regular file (it is {file_kind(mode)}): give a new path or a regular file to "
            "replace"
        )
    return target


def check_output_folder(path: str | os.PathLike) -> Path:
    """`path` as a folder to write files into: an existing folder or a new path (not made here).

    Raises:
        OutputFileError: `path` exists and is no folder, or it cannot be looked at.
    """
    folder = Path(path)
    mode = _mode_of_target(folder, f"cannot write into {path}")
    if mode is None:
        return folder
    if not stat.S_ISDIR(mode):
        raise OutputFileError(
            f"{path} is not a folder (it is {file_kind(mode)}): give a folder to write into"
        )
    return folder


def output_folder(path: str | os.PathLike) -> Path:
    """`path` as a folder to write files into (see :func:`check_output_folder`), made with its parents if
    it does not exist.

    Raises:
        OutputFileError: `path` exists and is no folder, or it cannot be made.
    """
    folder = check_output_folder(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputFileError(f"cannot make the folder {path}: {error.strerror or error}") from None
    return folder


@contextmanager
def output_file(path: str | os.PathLike) -> Iterator[Path]:
    """Write `path` in one step: yields a new temporary path in the target's folder (same suffix, so
    writers that go by it pick the format) to write to; when the block ends it replaces the target, which
    keeps its permissions. Missing parent folders are made.

    Raises:
        OutputFileError: the target is no regular file (checked first, nothing written), its folder cannot be
            made, or writing failed (an ``OSError`` in the block, e.g. a full disk): the target is then as it
            was and the temporary file is gone.
    """
    target = check_output_file(path)
    temporary = target.with_name(f".tmp-{secrets.token_hex(4)}-{target.name}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))  # mode as umask allows
        yield temporary
        if target.exists():
            os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
        os.replace(temporary, target)
    except OutputFileError:
        raise
    except OSError as error:
        raise OutputFileError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        temporary.unlink(missing_ok=True)


def check_file_format(content: object, path: object, *, format: str, version: int, what: str,
                      error: type[Exception]) -> dict:  # fmt: skip
    """`content` (a file of ours, parsed from JSON) if it is a dict of `format` at `version`; else `error`
    naming `path` and `what` it should have been (e.g. "a gym-mario-latent-vae checkpoint")."""
    if not isinstance(content, dict) or content.get("format") != format:
        raise error(f"{path} is not {what}")
    if content.get("format_version") != version:
        raise error(
            f"{path} has format version {content.get('format_version')}; this version of gym-mario-latent "
            f"reads version {version}"
        )
    return content
