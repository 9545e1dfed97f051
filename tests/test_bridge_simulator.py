"""`Simulator`: levels in every form, typed telemetry, batches in order, padding, checked inputs."""

from __future__ import annotations

import dataclasses
import typing

import numpy as np
import psutil
import pytest
import torch
from simulator_support import Server, flat_level, gap_level, level_text, wall_level, with_tiles

from gym_mario_latent.errors import JavaRuntimeError, LevelFormatError, SimulatorBuildError
from gym_mario_latent.levels import text_to_ids
from gym_mario_latent.simulator_bridge import Padding, Simulator, Telemetry, default_facts
from gym_mario_latent.simulator_bridge.level_input import level_to_rows

LIMITS = default_facts().limits  # the jar's, from its handshake
MAX_WIDTH, MIN_HEIGHT = LIMITS.max_width, LIMITS.min_height

# a VGLC-like window: ground with a pit, a goomba, a pipe, blocks and a coin
WINDOW = [
    "--------------",
    "--------------",
    "--------------",
    "--------------",
    "--------------",
    "-----Q?S------",
    "--------------",
    "--------------",
    "----------o---",
    "---------<>---",
    "---------[]---",
    "-----E---[]---",
    "XXX--XXXXXXXXX",
    "XXX--XXXXXXXXX",
]


@pytest.fixture(scope="module")
def simulator():
    with Simulator(workers=2) as simulator:
        yield simulator


def test_ids_tensors_lists_text_and_rows_give_the_same_telemetry(simulator):
    ids = text_to_ids(WINDOW)
    forms = [ids, torch.from_numpy(ids), ids.tolist(), ids.astype(np.float32), level_text(WINDOW), WINDOW]
    results = [simulator.evaluate(form).to_dict() for form in forms]
    assert all(result == results[0] for result in results)
    assert results[0]["status"] == "win"


def test_telemetry_has_a_typed_field_for_every_key(simulator):
    telemetry = simulator.evaluate(WINDOW)
    keyed = {f.metadata["key"]: f for f in dataclasses.fields(Telemetry) if "key" in f.metadata}
    assert set(telemetry.raw) <= set(keyed)
    hints = typing.get_type_hints(Telemetry)
    for key, value in telemetry.raw.items():
        field = keyed[key]
        assert getattr(telemetry, field.name) == (value if key != "completion" else telemetry.completion)
        wanted = typing.get_origin(hints[field.name]) or hints[field.name]
        assert isinstance(getattr(telemetry, field.name), wanted if wanted is not float else (int, float))
    assert telemetry.won and telemetry.mario_status == 1 and telemetry.reason is None
    assert telemetry.to_dict() == telemetry.raw  # a won segment: completion 1 either way
    with pytest.raises(dataclasses.FrozenInstanceError):
        telemetry.status = "lose"


def test_evaluate_many_keeps_the_order_of_its_levels(simulator):
    levels = [gap_level(g, width=30) for g in (12, 2, 14, 3, 11, 1)] + [wall_level(h) for h in (7, 2)]
    batch = simulator.evaluate_many(levels, progress=True)
    one_by_one = [simulator.evaluate(level) for level in levels]
    assert [t.to_dict() for t in batch] == [t.to_dict() for t in one_by_one]
    assert [t.won for t in batch] == [False, True, False, True, False, True, False, True]


def test_a_batch_tensor_is_a_batch_of_levels(simulator):
    batch = torch.from_numpy(np.stack([text_to_ids(WINDOW), text_to_ids(flat_level())]))
    results = simulator.evaluate_many(batch)
    assert [t.total_length_of_level_passed_cells for t in results] == [14 + 6, 14 + 6]
    assert all(t.won for t in results)


def test_padding_adds_ground_and_measures_completion_over_the_segment(simulator):
    padding = simulator.padding
    assert padding == Padding(start=3, finish=3)
    segment = wall_level(6, width=14, at=7)  # unclimbable: Mario stops inside the segment
    padded = simulator.evaluate(segment)
    assert padded.total_length_of_level_passed_cells == 14 + padding.start + padding.finish
    assert padded.finish_x == (padding.start + 14) * 16  # the finish: the segment's right edge
    expected = (padded.mario_x - padding.start * 16) / (14 * 16)
    assert padded.completion == pytest.approx(min(1.0, max(0.0, expected)))
    assert padded.raw["completion"] == padded.completion  # the jar measures the segment it was told of
    assert not padded.won

    with Simulator(workers=1, padding=False) as unpadded_simulator:
        unpadded = unpadded_simulator.evaluate(segment)
    assert unpadded.total_length_of_level_passed_cells == 14
    assert unpadded.completion == unpadded.raw["completion"]


def test_padding_rows_put_the_finish_just_past_the_segment():
    rows = Padding(start=2, finish=3).apply(["-E", "XX"])
    assert rows == ["---EF--", "XXXXXXX"]
    assert Padding(start=1, finish=1).apply(["--", "XX"], alphabet="mario-ai") == ["---F", "XXXX"]


def test_padding_ground_is_as_high_as_the_segments_ground_at_each_edge():
    sky = ["----"] * 5  # head-room: the padding's ground stays 5 rows below the top edge
    segment = [*sky, "----", "---X", "--SX", "X--X"]  # 1 row of ground at the left, 3 at the right
    assert Padding(start=2, finish=2).apply(segment) == [
        *["--------"] * 5,
        "------F-",
        "-----XXX",
        "----SXXX",
        "XXX--XXX",
    ]
    over_pits = Padding(start=1, finish=1).apply(["---", "-X-", "-X-"])  # pits: VGLC's one row
    assert over_pits == ["-----", "--X-F", "X-X-X"]
    fixed = Padding(start=1, finish=1, ground_rows=2).apply([*["--"] * 5, "--", "--", "XX"])
    assert fixed == [*["----"] * 5, "---F", "X--X", "XXXX"]


def test_padding_ground_leaves_five_rows_of_head_room_below_the_top_edge():
    # Mario's highest jump rises less than 5 tiles: from the padding he cannot reach the top edge
    solid = ["XX"] * 8
    assert Padding(start=1, finish=1).apply(solid) == [*["-XX-"] * 4, "-XXF", *["XXXX"] * 3]
    assert Padding(start=1, finish=1, ground_rows=7).apply(solid) == Padding(start=1, finish=1).apply(solid)
    # too short for that head-room: one row of ground, as beside a pit
    assert Padding(start=1, finish=1).apply(["XX"] * 4) == ["-XX-", "-XX-", "-XXF", "XXXX"]


@pytest.mark.parametrize(("solid_rows", "won"), [(14, False), (13, True)])
def test_a_solid_segment_is_a_wall_and_its_top_edge_no_floor(simulator, solid_rows, won):
    # a full wall stands 5 tiles above the padding's ground: not climbed; one row lower it is 4: climbed
    # (tests/test_simulator_physics.py: walls up to 4 tiles are climbed, 5 are not)
    segment = ["-" * 14] * (14 - solid_rows) + ["X" * 14] * solid_rows
    telemetry = simulator.evaluate(segment)
    assert telemetry.won is won
    if not won:
        assert telemetry.status == "timeout"
        assert telemetry.completion == 0.0


def test_mario_starts_level_with_a_one_row_segment_and_not_on_a_step():
    segment = ["-" * 14] * 13 + ["X" * 14]  # VGLC's levels have one row of ground
    with Simulator(workers=1, agent="noop", time_limit=1) as simulator:
        padded = simulator.evaluate(segment)
    with Simulator(workers=1, agent="noop", time_limit=1, padding=False) as simulator:
        unpadded = simulator.evaluate(segment)
    assert padded.mario_y == unpadded.mario_y == 13 * 16 - 1  # feet just above the single row of ground


def test_game_settings_reach_the_simulator():
    level = with_tiles(gap_level(4, width=30), {(20, 11): "E"})
    with Simulator(workers=1, agent="forward", time_limit=5, trace=True) as simulator:
        telemetry = simulator.evaluate(level)
    assert telemetry.agent == "forward" and telemetry.total_time_given == 5
    assert telemetry.status == "lose" and telemetry.jumps == 0 and len(telemetry.trace) == telemetry.ticks


# three goombas: one on a ledge and one ahead for the agent to stomp, one behind that is left behind
GOOMBAS = [
    "----------------------",
    "----------------------",
    "-----------E----------",
    "----------XXX---------",
    "----------------------",
    "---E----------E-------",
    "XXXXXXXXXXXXXXXXXXXXXX",
]


def test_the_sprite_trace_follows_each_enemy_and_drops_the_stomped_ones():
    with Simulator(workers=1, trace=True) as simulator:
        telemetry = simulator.evaluate(GOOMBAS)
    sprites = telemetry.sprites()
    assert telemetry.won and len(sprites) == len(telemetry.trace) == telemetry.ticks
    assert Telemetry.from_raw(telemetry.to_dict()).sprites() == sprites
    # all three are in view from the start, facing Mario, in the columns the level puts them
    start = sprites[0]
    assert [s.kind for s in start] == ["goomba"] * 3 and all(s.faces_left for s in start)
    offset = Padding().start * 16
    assert sorted(round((s.x - offset) / 16 - 0.5) for s in start) == [3, 11, 14]
    # each tick a goomba walks at most 1.75 pixels; one gone near Mario was stomped, one gone far away left
    stomped = 0
    for tick in range(1, len(sprites)):
        before, after = sprites[tick - 1], sprites[tick]
        assert len(after) <= len(before), "no goomba comes back"
        for goomba in before:
            if not any(abs(s.x - goomba.x) <= 1.75 and abs(s.y - goomba.y) <= 16 for s in after):
                stomped += abs(goomba.x - telemetry.trace[tick][0]) < 32
    assert telemetry.kills["goomba"] == telemetry.kills_by["stomp"] == stomped == 2
    assert sprites[-1] == []


def test_a_game_without_the_trace_has_no_sprite_trace(simulator):
    telemetry = simulator.evaluate(GOOMBAS)
    assert telemetry.sprite_trace is None and telemetry.sprites() is None
    assert "sprite_trace" not in telemetry.raw and "sprite_trace" not in telemetry.to_dict()


def test_mario_ai_text_is_accepted_with_its_alphabet(simulator):
    rows = ["------", "------", "--k---", "XX#XXX"]
    with Simulator(workers=1, alphabet="mario-ai") as mario_ai_simulator:
        assert mario_ai_simulator.evaluate(rows).won
    with pytest.raises(LevelFormatError, match="unknown tile 'k'"):
        simulator.evaluate(rows)  # not in the default VGLC alphabet


BAD_LEVELS = {
    "one axis": np.zeros(14, dtype=int),
    "three axes": np.zeros((2, 14, 14), dtype=int),
    "unknown tile id": np.full((14, 14), 11),
    "negative tile id": np.full((14, 14), -1),
    "NaN": np.full((14, 14), np.nan),
    "fraction": np.full((14, 14), 2.5),
    "empty array": np.zeros((0, 14), dtype=int),
    "empty text": "",
    "empty list": [],
    "ragged rows": ["----", "XXX"],
    "unknown character": ["--Z-", "XXXX"],
    "too wide": ["X" * 5000],
    "too low for Mario": ["---", "XXX", "XXX"],
    "booleans": np.ones((14, 14), dtype=bool),
}


@pytest.mark.parametrize("level", BAD_LEVELS.values(), ids=BAD_LEVELS.keys())
def test_bad_levels_raise_value_error_before_reaching_java(simulator, level):
    sent = simulator.levels_sent
    with pytest.raises(ValueError) as error:
        simulator.evaluate(level)
    assert isinstance(error.value, LevelFormatError)
    with pytest.raises(LevelFormatError):
        simulator.evaluate_many([flat_level(), level])  # the good level is not sent either
    assert simulator.levels_sent == sent


@pytest.mark.parametrize(
    ("settings", "allowed"),
    [
        ({"agent": "nobody"}, "expected one of"),
        ({"time_limit": 0}, "≥ 0.03"),
        ({"time_limit": 0.0004}, "one tick is 0.03 s"),
        ({"time_limit": float("nan")}, "≤ 3600"),
        ({"node_budget": 0}, "≥ 1 and ≤ 100000"),
        ({"node_budget": 2.5}, "an integer"),
        ({"start_mode": "tiny"}, "expected one of"),
        ({"stall_limit": 1e9}, "≤ 3600"),
        ({"trace": "yes"}, "True or False"),
        ({"workers": 0}, "≥ 1"),
        ({"workers": 2.5}, "an integer ≥ 1"),
        ({"max_restarts": -1}, "an integer ≥ 0"),
        ({"wall_time_limit": float("nan")}, "> 0"),
        ({"wall_time_limit": 0}, "> 0"),
        ({"start_timeout": -1}, "> 0"),
        ({"alphabet": "nes"}, "expected one of"),
        ({"padding": "yes"}, "Padding, True or False"),
        ({"jvm_options": "-Xmx1g"}, "sequence of strings"),
    ],
)
def test_bad_settings_raise_value_error_naming_the_argument_before_any_jvm_starts(settings, allowed):
    children = psutil.Process().children(recursive=True)
    with pytest.raises(ValueError, match=next(iter(settings))) as error:
        Simulator(**settings)
    assert allowed in str(error.value)
    assert psutil.Process().children(recursive=True) == children


def test_a_java_that_does_not_exist_is_a_java_runtime_error_naming_it(tmp_path):
    missing = tmp_path / "bin" / "java"
    with pytest.raises(JavaRuntimeError, match=r"java=.*does not run"):
        Simulator(java=missing)


def test_a_jar_that_does_not_exist_is_an_error_naming_it(tmp_path):
    with pytest.raises(SimulatorBuildError, match=r"jar=.*is not a file"):
        Simulator(jar=tmp_path / "simulator.jar")


@pytest.fixture(scope="module")
def server():
    with Server() as running:
        yield running


@pytest.mark.parametrize("height", range(1, MIN_HEIGHT + 2))
def test_python_and_java_refuse_the_same_levels_too_low_for_mario(server, height):
    rows = ["X" * 5] * height  # all solid: below four rows Mario would walk above the top row
    try:
        level_to_rows(rows)
        python_refuses = False
    except LevelFormatError as error:
        assert f"at least {MIN_HEIGHT}" in str(error)
        python_refuses = True
    reply = server.request(level=level_text(rows))
    assert python_refuses == (height < MIN_HEIGHT)
    assert (not reply["ok"]) == python_refuses
    if python_refuses:
        assert f"at least {MIN_HEIGHT}" in reply["error"]


@pytest.mark.parametrize("shape", [(14, MAX_WIDTH - 5), (14, MAX_WIDTH), (256, 1019), (256, 1024)])
def test_levels_too_large_once_padded_are_refused_in_python_naming_the_padding(simulator, shape):
    height, width = shape
    rows = ["-" * width] * (height - 2) + ["X" * width] * 2
    sent = simulator.levels_sent
    with pytest.raises(LevelFormatError, match="6 of them padding"):
        simulator.evaluate(rows)
    assert simulator.levels_sent == sent


def test_the_widest_level_plays_when_it_is_not_padded():
    with Simulator(workers=1, padding=False, time_limit=1) as simulator:
        telemetry = simulator.evaluate(flat_level(width=MAX_WIDTH))
    assert telemetry.total_length_of_level_passed_cells == MAX_WIDTH and telemetry.status == "timeout"


def test_a_list_of_rows_given_as_a_batch_is_refused_saying_how_to_wrap_it(simulator):
    with pytest.raises(LevelFormatError, match=r"rows of one level.*\[rows\].*evaluate"):
        simulator.evaluate_many(WINDOW)
    assert len(simulator.evaluate_many([WINDOW, flat_level()])) == 2  # a batch of row lists is fine
