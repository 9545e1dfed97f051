"""The tile alphabets and the conversions between level forms, on the real VGLC levels."""

from importlib import resources

import numpy as np
import pytest
import torch

from gym_mario_latent.errors import LevelFormatError
from gym_mario_latent.levels import (
    MARIO_AI_TILES,
    N_TILES,
    VAE_TILES,
    VAE_TO_MARIO_AI,
    check_ids,
    ids_to_int_list_string,
    ids_to_mario_ai_text,
    ids_to_onehot,
    ids_to_rows,
    ids_to_text,
    int_list_string_to_ids,
    mario_ai_text_to_ids,
    onehot_to_ids,
    text_to_ids,
)
from gym_mario_latent.vae.data import vglc_level_names

LEVEL_NAMES = vglc_level_names()


def vglc_text(name: str) -> str:
    return (resources.files("gym_mario_latent.vae") / "vglc" / f"{name}.txt").read_text()


def test_all_fifteen_vglc_levels_ship_with_the_package():
    assert len(LEVEL_NAMES) == 15
    assert "mario-1-1" in LEVEL_NAMES and "mario-8-1" in LEVEL_NAMES


@pytest.mark.parametrize("name", LEVEL_NAMES)
def test_vglc_level_round_trips_through_every_level_form(name):
    text = vglc_text(name)
    ids = text_to_ids(text)
    assert ids.shape[0] == 14 and ids.dtype == np.int64
    expected_text = text.strip("\n").replace("B", "X").replace("b", "X")
    assert ids_to_text(ids) == expected_text
    assert ids_to_rows(ids) == expected_text.split("\n")
    onehot = ids_to_onehot(ids)
    assert onehot.shape == (N_TILES, *ids.shape) and onehot.sum(axis=0).max() == 1
    np.testing.assert_array_equal(onehot_to_ids(onehot), ids)
    tensor_onehot = ids_to_onehot(torch.from_numpy(ids))
    assert isinstance(tensor_onehot, torch.Tensor) and tensor_onehot.dtype == torch.float32
    assert torch.equal(onehot_to_ids(tensor_onehot), torch.from_numpy(ids))
    np.testing.assert_array_equal(int_list_string_to_ids(ids_to_int_list_string(ids)), ids)
    np.testing.assert_array_equal(mario_ai_text_to_ids(ids_to_mario_ai_text(ids)), ids)


def test_vae_alphabet_has_marioVAE_index_order_and_cannons_read_as_ground():
    assert VAE_TILES == "XS-?QE<>[]o"  # the one place the order is spelled: MarioVAE's, fixed
    np.testing.assert_array_equal(text_to_ids(["Bb-", "X-o"]), [[0, 0, 2], [0, 2, 10]])


def test_int_list_string_is_marioVAE_python_list_of_int_rows():
    ids = text_to_ids(["-?", "XX"])
    assert ids_to_int_list_string(ids) == "[[2, 3], [0, 0]]"
    assert int_list_string_to_ids("[[2.0, 3.0], [0.0, 0.0]]").tolist() == [[2, 3], [0, 0]]


def test_mario_ai_text_uses_the_framework_tiles_for_each_vae_tile():
    ids = text_to_ids(["-?QEo", "S<>--", "X[]--"])
    assert ids_to_mario_ai_text(ids) == "-@!go\nStt--\nXtt--"
    assert VAE_TO_MARIO_AI == {
        "X": "X", "S": "S", "-": "-", "?": "@", "Q": "!", "E": "g",
        "<": "t", ">": "t", "[": "t", "]": "t", "o": "o",
    }  # fmt: skip


def test_mario_ai_level_reads_enemies_blocks_markers_and_side_by_side_pipes():
    level = [
        "--------",
        "M-k@C1!D",
        "-tttt-F-",
        "#tTtt*%|",
    ]
    assert ids_to_rows(mario_ai_text_to_ids(level)) == [
        "--------",
        "--E?S-QX",
        "-<><>---",
        "X[][]XX-",
    ]


def test_every_mario_ai_character_is_listed_once_and_reads_as_vae_tiles():
    chars = [tile.char for tile in MARIO_AI_TILES]
    assert len(chars) == len(set(chars))
    assert all(set(tile.vae) <= set(VAE_TILES) for tile in MARIO_AI_TILES)


@pytest.mark.parametrize(
    ("level", "message"),
    [
        (["--", "-Z"], "unknown tile 'Z' at row 1, column 1"),
        (["---", "--"], "row 1 has 2 columns, row 0 has 3"),
        ("", "empty level"),
    ],
)
def test_bad_level_text_is_refused_naming_the_problem(level, message):
    with pytest.raises(LevelFormatError, match=message):
        text_to_ids(level)


def test_unknown_mario_ai_character_is_refused_with_its_position():
    with pytest.raises(LevelFormatError, match=r"unknown Mario AI tile 'Z' at row 0, column 2"):
        mario_ai_text_to_ids("--Z")


def test_tile_ids_out_of_range_are_refused_naming_the_position():
    ids = np.full((2, 3, 4), 2)
    ids[1, 2, 3] = 11
    with pytest.raises(LevelFormatError, match=r"tile id 11 at level 1, row 2, column 3 .*0\.\.10"):
        check_ids(ids)
    with pytest.raises(LevelFormatError, match=r"tile id -1 at row 0, column 1"):
        ids_to_text([[2, -1]])


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (np.zeros(5, dtype=int), r"at least 2 axes"),
        (np.zeros((2, 2), dtype=int), r"need 3 axes"),
        (np.array([[0.5, 1.0]]), r"tile id 0.5 at row 0, column 0 is not an integer"),
        (np.array([["X"]]), r"must be integers"),
    ],
)
def test_wrong_shapes_and_types_of_tile_ids_are_refused(ids, message):
    with pytest.raises(LevelFormatError, match=message):
        check_ids(ids, ndim=3 if "3 axes" in message else None)


def test_one_hot_with_wrong_tile_axis_is_refused():
    with pytest.raises(LevelFormatError, match=r"11, rows, columns\); got \(10, 14, 14\)"):
        onehot_to_ids(np.zeros((10, 14, 14)))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[1, 2], [3]", "not an int-list level"),
        ("[[1, 2], [3]]", "row 1 has 1 columns, row 0 has 2"),
        ('[[1, "a"]]', "tile id 'a' at row 0, column 1 is not a number"),
        ("[[1, 12]]", "tile id 12 at row 0, column 1 is outside"),
        ("[1, 2]", "list of lists"),
    ],
)
def test_bad_int_list_strings_are_refused_naming_the_problem(text, message):
    with pytest.raises(LevelFormatError, match=message):
        int_list_string_to_ids(text)


def test_level_errors_are_value_errors():
    with pytest.raises(ValueError):
        text_to_ids("-?-\n-!-")


def test_the_simulators_start_and_finish_marks_read_as_empty_space_in_vglc_text():
    np.testing.assert_array_equal(text_to_ids(["M--F", "XXXX"]), text_to_ids(["----", "XXXX"]))
    np.testing.assert_array_equal(mario_ai_text_to_ids(["M--F", "XXXX"]), text_to_ids(["----", "XXXX"]))


def test_int_rows_nested_deeper_than_python_parses_are_a_level_format_error():
    with pytest.raises(LevelFormatError, match="nested deeper than Python parses"):
        int_list_string_to_ids("[" * 100_000 + "]" * 100_000)
