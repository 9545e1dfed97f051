"""Finding, verifying and importing ROMs, and the clear errors for every kind of bad file."""

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from gym_mario_latent import roms
from gym_mario_latent.envs.smb import SuperMarioBrosEnv
from gym_mario_latent.errors import RomError, RomNotFoundError
from gym_mario_latent.roms.ines import HEADER_SIZE
from gym_mario_latent.roms.locate import ROM_FILE_VARS, installed_gsmb_roms

CLI = [sys.executable, "-m", "gym_mario_latent.cli.main"]
THREE_WAYS = ("rom_path=", "GYM_MARIO_LATENT_ROM_DIR", "gym-mario-latent rom import")


@pytest.fixture
def isolated_home(tmp_path, monkeypatch):
    """An empty user folder and no ROM variables: only what a test puts there can be found."""
    monkeypatch.setenv("GYM_MARIO_LATENT_HOME", str(tmp_path / "home"))
    for variable in ("GYM_MARIO_LATENT_ROM_DIR", *ROM_FILE_VARS.values()):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


def write_variant(tmp_path: Path, source: Path, name: str, edit) -> Path:
    data = bytearray(source.read_bytes())
    data = edit(data) or data
    path = tmp_path / name
    path.write_bytes(bytes(data))
    return path


def assert_explains(error: Exception, *fragments: str) -> None:
    message = str(error)
    for fragment in (*fragments, *THREE_WAYS):
        assert fragment in message, f"{fragment!r} missing from: {message}"


def test_real_roms_are_identified(smb_rom_path, lost_levels_rom_path):
    smb = roms.inspect_rom(smb_rom_path)
    lost = roms.inspect_rom(lost_levels_rom_path)
    assert (smb.game, lost.game) == (roms.SMB1, roms.LOST_LEVELS)
    assert smb.header.mapper == 0 and smb.header.prg_size == 32 * 1024 and smb.header.chr_size == 8 * 1024
    assert smb.sha1 in roms.KNOWN_DUMPS and lost.sha1 in roms.KNOWN_DUMPS


def test_missing_file_says_so_and_how_to_provide_one(tmp_path):
    with pytest.raises(RomNotFoundError) as error:
        roms.inspect_rom(tmp_path / "nothing.nes")
    assert_explains(error.value, "does not exist")


# Reading /proc/self/mem from its start fails with EIO (address 0 is never mapped): a real file that exists
# and cannot be read, even by root.
UNREADABLE = "/proc/self/mem"


def test_a_file_that_cannot_be_read_is_a_rom_error_with_the_reason():
    with pytest.raises(RomError) as error:
        roms.inspect_rom(UNREADABLE)
    assert_explains(error.value, f"cannot read {UNREADABLE}: Input/output error")


@pytest.mark.parametrize("kind", ["a directory", "a FIFO", "a character device"])
def test_a_directory_fifo_or_device_is_not_a_regular_file_rather_than_missing(tmp_path, kind):
    path = {
        "a directory": tmp_path,
        "a FIFO": tmp_path / "fifo.nes",
        "a character device": Path("/dev/null"),
    }[kind]
    if kind == "a FIFO":
        os.mkfifo(path)
    with pytest.raises(RomError) as error:
        roms.inspect_rom(path)
    assert_explains(error.value, f"{path} is not a regular file (it is {kind})")


@pytest.mark.parametrize(
    ("flags6", "flags7", "field", "found"),
    [
        (0x11, 0x00, "mapper", "1"),  # MMC1
        (0x01, 0x40, "mapper", "64"),
        (0x00, 0x00, "mirroring", "'horizontal'"),
        (0x09, 0x00, "mirroring", "'four-screen'"),
    ],
)
def test_a_known_dump_under_a_header_that_runs_it_differently_names_the_field(
    tmp_path, smb_rom_path, flags6, flags7, field, found
):
    def set_flags(data):
        data[6], data[7] = flags6, flags7

    path = write_variant(tmp_path, smb_rom_path, "header.nes", set_flags)
    with pytest.raises(RomError) as error:
        roms.inspect_rom(path)
    assert_explains(error.value, f"its iNES header says {field} {found}", "Super Mario Bros.")


def test_a_known_dump_with_a_trainer_in_its_header_is_refused(tmp_path, smb_rom_path):
    def insert_trainer(data):
        data[6] |= 0x04
        return data[:HEADER_SIZE] + bytes(512) + data[HEADER_SIZE:]

    path = write_variant(tmp_path, smb_rom_path, "trainer.nes", insert_trainer)
    with pytest.raises(RomError) as error:
        roms.inspect_rom(path)
    assert_explains(error.value, "has_trainer True")


def test_a_rom_folder_variable_that_points_at_nothing_warns_once_naming_it(isolated_home, monkeypatch):
    missing, empty = isolated_home / "no such folder", isolated_home / "empty"
    empty.mkdir()
    for target, problem in [(missing, "does not exist"), (empty, "holds no .nes file")]:
        monkeypatch.setenv("GYM_MARIO_LATENT_ROM_DIR", str(target))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for _ in range(2):
                with pytest.raises(RomNotFoundError):
                    roms.find_rom(roms.SMB1)
        assert [str(w.message) for w in caught] == [
            f"GYM_MARIO_LATENT_ROM_DIR={target} {problem}; looking for ROMs elsewhere"
        ]


def test_a_rom_file_variable_that_points_at_nothing_is_an_error_naming_it(isolated_home, monkeypatch):
    missing = isolated_home / "missing.nes"
    monkeypatch.setenv("GYM_MARIO_LATENT_SMB_ROM", str(missing))
    with pytest.raises(RomNotFoundError) as error:
        roms.find_rom(roms.SMB1)
    assert_explains(error.value, f"$GYM_MARIO_LATENT_SMB_ROM={missing}: ROM file {missing} does not exist")


@pytest.mark.parametrize("command", [["rom", "info", UNREADABLE], ["rom", "import", UNREADABLE]])
def test_rom_commands_report_an_unreadable_file_in_one_line(command):
    result = subprocess.run([*CLI, *command], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr + result.stdout
    assert f"cannot read {UNREADABLE}: Input/output error" in result.stderr + result.stdout


def test_truncated_file_reports_sizes(tmp_path, smb_rom_path):
    path = write_variant(tmp_path, smb_rom_path, "cut.nes", lambda data: data[:20000])
    with pytest.raises(RomError) as error:
        roms.inspect_rom(path)
    assert_explains(error.value, "truncated", "20000 bytes", "40976")


def test_short_and_non_ines_files_are_refused(tmp_path):
    tiny = tmp_path / "tiny.nes"
    tiny.write_bytes(b"NES")
    text = tmp_path / "readme.nes"
    text.write_bytes(b"this is not a rom at all, just text " * 10)
    with pytest.raises(RomError) as short_error:
        roms.inspect_rom(tiny)
    assert_explains(short_error.value, "16-byte iNES header")
    with pytest.raises(RomError) as text_error:
        roms.inspect_rom(text)
    assert_explains(text_error.value, "no iNES signature")
    empty_header = tmp_path / "empty.nes"
    empty_header.write_bytes(b"NES\x1a" + bytes(12))
    with pytest.raises(RomError) as empty_error:
        roms.inspect_rom(empty_header)
    assert_explains(empty_error.value, "no PRG-ROM")


def test_pal_dump_is_refused(tmp_path, smb_rom_path):
    def set_pal_flag(data):
        data[9] |= 0x01

    path = write_variant(tmp_path, smb_rom_path, "pal.nes", set_pal_flag)
    with pytest.raises(RomError) as error:
        roms.inspect_rom(path)
    assert_explains(error.value, "PAL", "NTSC")


def test_unknown_dump_is_refused_with_its_hash(tmp_path, smb_rom_path):
    def patch_one_prg_byte(data):
        data[HEADER_SIZE + 100] ^= 0xFF

    path = write_variant(tmp_path, smb_rom_path, "hack.nes", patch_one_prg_byte)
    with pytest.raises(RomError) as error:
        roms.inspect_rom(path)
    assert_explains(error.value, "not a known", "SHA-1", "mapper 0")


def test_wrong_game_is_refused(lost_levels_rom_path):
    with pytest.raises(RomError) as error:
        roms.verify_rom(lost_levels_rom_path, roms.SMB1)
    assert_explains(error.value, "Lost Levels", "Super Mario Bros. is needed")


def test_env_with_bad_rom_raises_the_clear_error_and_the_interpreter_goes_on(
    tmp_path, smb_rom_path, make_env
):
    path = write_variant(tmp_path, smb_rom_path, "cut.nes", lambda data: data[:30000])
    for bad in (path, tmp_path / "missing.nes"):
        with pytest.raises((RomError, RomNotFoundError), match="rom import"):
            SuperMarioBrosEnv("1-1", rom_path=str(bad))
    with pytest.raises(RomError, match="Lost Levels"):
        SuperMarioBrosEnv(lost_levels=False, rom_path=str(roms.find_rom(roms.LOST_LEVELS).path))
    env = make_env(SuperMarioBrosEnv, "1-1", rom_path=str(smb_rom_path))
    assert env.reset()[1]["world"] == 1


def test_discovery_order_explicit_then_variables_then_user_folder(isolated_home, smb_rom_path, monkeypatch):
    with pytest.raises(RomNotFoundError) as error:
        roms.find_rom(roms.SMB1)
    assert_explains(error.value, "no Super Mario Bros. ROM found", str(isolated_home / "home"))

    imported = roms.import_rom(smb_rom_path)
    assert roms.find_rom(roms.SMB1).path == imported
    assert roms.imported_games() == {roms.SMB1}

    rom_dir = isolated_home / "my roms"
    rom_dir.mkdir()
    renamed = shutil.copy(smb_rom_path, rom_dir / "Super Mario Bros (W).nes")
    (rom_dir / "junk.nes").write_bytes(b"junk")
    monkeypatch.setenv("GYM_MARIO_LATENT_ROM_DIR", str(rom_dir))
    assert roms.find_rom(roms.SMB1).path == Path(renamed)

    monkeypatch.setenv("GYM_MARIO_LATENT_SMB_ROM", str(smb_rom_path))
    assert roms.find_rom(roms.SMB1).path == smb_rom_path
    assert roms.find_rom(roms.SMB1, rom_path=imported).path == imported


def test_damaged_imported_rom_is_reported_not_ignored(isolated_home, smb_rom_path):
    imported = roms.import_rom(smb_rom_path)
    imported.write_bytes(imported.read_bytes()[:1000])
    with pytest.raises(RomError, match="truncated"):
        roms.find_rom(roms.SMB1)


def test_rom_cli_imports_and_reports(isolated_home, smb_rom_path):
    env = {"GYM_MARIO_LATENT_HOME": str(isolated_home / "home"), "PATH": "/usr/bin:/bin"}
    missing = subprocess.run([*CLI, "rom", "info"], capture_output=True, text=True, env=env, check=True)
    assert "Super Mario Bros.: not found" in missing.stdout
    done = subprocess.run(
        [*CLI, "rom", "import", str(smb_rom_path)], capture_output=True, text=True, env=env, check=True
    )
    assert "imported Super Mario Bros." in done.stdout
    info = subprocess.run([*CLI, "rom", "info"], capture_output=True, text=True, env=env, check=True)
    assert str(isolated_home / "home") in info.stdout and "SHA-1" in info.stdout
    bad = isolated_home / "bad.nes"
    bad.write_bytes(smb_rom_path.read_bytes()[:5000])
    refused = subprocess.run([*CLI, "rom", "import", str(bad)], capture_output=True, text=True, env=env)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.count("\n") == 1 and "truncated" in refused.stderr


def test_rom_commands_start_without_importing_torch():
    check = (
        "import sys; from gym_mario_latent.cli.main import main; main(['rom', 'info']); "
        "assert 'torch' not in sys.modules, 'rom info imported torch'"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Super Mario Bros." in result.stdout


@pytest.mark.slow
def test_import_from_pypi_takes_the_wheels_roms_without_installing_it(isolated_home):
    imported = roms.import_from_pypi()
    assert {roms.inspect_rom(path).game for path in imported} == {roms.SMB1, roms.LOST_LEVELS}
    assert installed_gsmb_roms() == []  # downloaded and read, never installed
    assert roms.find_rom(roms.LOST_LEVELS).path.parent == roms.user_rom_dir()
