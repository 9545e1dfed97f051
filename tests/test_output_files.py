"""Files written for a user: only new paths or regular files, replaced in one step, and a failed write (a full
disk) changes nothing. The commands that use this are tested in test_level_cli.py and test_vae_pictures.py."""

import os
import re
import stat
import subprocess
import sys

import pytest
from PIL import Image

from gym_mario_latent.errors import OutputFileError
from gym_mario_latent.files import check_output_file, not_a_regular_file, output_file, output_folder
from gym_mario_latent.levels import render_level, save_png
from gym_mario_latent.vae import MarioVAE, load_checkpoint, save_checkpoint

PICTURE = render_level(["----", "XXXX"], tile_size=2)


def leftovers(folder) -> list[str]:
    """Names in `folder` that look like our temporary files."""
    return sorted(path.name for path in folder.iterdir() if path.name.startswith(".tmp-"))


def test_a_new_file_is_written_and_an_old_one_replaced_keeping_its_permissions(tmp_path):
    new = tmp_path / "sub" / "new.txt"  # missing folders are made
    with output_file(new) as temporary:
        assert temporary.parent == new.parent and temporary.suffix == ".txt" and not new.exists()
        temporary.write_text("new")
    assert new.read_text() == "new"
    old = tmp_path / "old.txt"
    old.write_text("old")
    old.chmod(0o640)
    with output_file(old) as temporary:
        temporary.write_text("replaced")
    assert old.read_text() == "replaced" and stat.S_IMODE(old.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == [] and leftovers(new.parent) == []


def test_a_symlink_to_a_regular_file_writes_the_file_it_links_to(tmp_path):
    real, link = tmp_path / "real.png", tmp_path / "link.png"
    real.write_bytes(b"old")
    link.symlink_to(real)
    save_png(PICTURE, link)
    assert link.is_symlink() and Image.open(real).size == PICTURE.size


def make_fifo(path):
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp, "is a folder: give the path of the file to write"),
        (lambda tmp: make_fifo(tmp / "fifo"), "is not a regular file (it is a FIFO)"),
        (lambda tmp: "/dev/null", "is not a regular file (it is a character device)"),
        (lambda tmp: "/dev/full", "is not a regular file (it is a character device)"),
    ],
    ids=["folder", "fifo", "dev-null", "dev-full"],
)
def test_what_is_no_regular_file_is_refused_before_anything_is_written(tmp_path, make, message):
    target = make(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(target)
    for path in (target, link):
        kind_before = stat.S_IFMT(os.stat(path).st_mode)
        with pytest.raises(OutputFileError, match=re.escape(message)):
            save_png(PICTURE, path)
        assert stat.S_IFMT(os.stat(path).st_mode) == kind_before
    assert leftovers(tmp_path) == []


def test_a_checkpoint_is_refused_whole_when_either_of_its_files_cannot_be_written(tmp_path):
    (tmp_path / "model.json").mkdir()  # the weights file is a new path, its metadata's is a folder
    with pytest.raises(OutputFileError, match=r"model\.json is a folder"):
        save_checkpoint(MarioVAE(), tmp_path / "model")
    (tmp_path / "fifo.safetensors").symlink_to(make_fifo(tmp_path / "fifo"))
    with pytest.raises(OutputFileError, match=r"is not a regular file \(it is a FIFO\)"):
        save_checkpoint(MarioVAE(), tmp_path / "fifo")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["fifo", "fifo.safetensors", "model.json"]


def test_a_file_where_a_folder_is_needed_is_one_clear_error(tmp_path):
    file = tmp_path / "file"
    file.write_text("keep")
    with pytest.raises(OutputFileError, match=r"file is not a folder \(it is a regular file\)"):
        output_folder(file)
    with pytest.raises(OutputFileError, match=r"cannot write .*file/picture.png: Not a directory"):
        save_png(PICTURE, file / "picture.png")
    assert file.read_text() == "keep" and output_folder(tmp_path / "a" / "b").is_dir()


def test_the_regular_file_check_names_what_a_path_is(tmp_path):
    assert not_a_regular_file("/dev/zero") == "/dev/zero is not a regular file (it is a character device)"
    assert not_a_regular_file(tmp_path) == f"{tmp_path} is not a regular file (it is a directory)"
    assert not_a_regular_file(tmp_path / "missing") is None
    assert check_output_file(tmp_path / "missing") == tmp_path / "missing"


def test_a_full_disk_leaves_the_old_file_and_no_temporary_file(full_disk):
    before = sorted(path.name for path in full_disk.iterdir())
    for target in (full_disk / "new.png", full_disk / "old.txt"):
        with pytest.raises(OutputFileError, match=f"cannot write {target}: No space left on device"):
            save_png(PICTURE, target)
    with pytest.raises(OutputFileError, match="No space left on device"):
        save_checkpoint(MarioVAE(), full_disk / "model")
    assert sorted(path.name for path in full_disk.iterdir()) == before
    assert (full_disk / "old.txt").read_text() == "old"


WRITE_UNDER_A_FILE_SIZE_LIMIT = """
import resource, sys
from gym_mario_latent.levels import render_level, save_png
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))  # Python ignores SIGXFSZ: writes fail with EFBIG
save_png(render_level(["XS-?QE<>[]o"] * 4, tile_size=16), sys.argv[1])  # a PNG of some 2 kB
"""


def test_a_write_that_fails_half_way_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "picture.png"
    target.write_bytes(b"old picture")
    result = subprocess.run(
        [sys.executable, "-c", WRITE_UNDER_A_FILE_SIZE_LIMIT, str(target)], capture_output=True, text=True
    )
    assert (
        result.returncode != 0 and f"OutputFileError: cannot write {target}: File too large" in result.stderr
    )
    assert target.read_bytes() == b"old picture" and leftovers(tmp_path) == []


def test_a_checkpoint_written_over_an_old_one_loads_as_the_new_model(tmp_path):
    save_checkpoint(MarioVAE(z_dim=2), tmp_path / "model")
    save_checkpoint(MarioVAE(z_dim=3), tmp_path / "model")
    assert load_checkpoint(tmp_path / "model").z_dim == 3 and leftovers(tmp_path) == []
