"""The `serve` protocol: handshake, replies with echoed ids, errors that keep the server alive."""

from __future__ import annotations

import json

import pytest
from simulator_support import Server, flat_level, level_text, run_jar, wall_level

FLAT = level_text(flat_level())

MARIOVAE_KEYS = {
    "marioStatus",
    "lengthOfLevelPassedPhys",
    "totalLengthOfLevelPassedPhys",
    "lengthOfLevelPassedCells",
    "totalLengthOfLevelPassedCells",
    "timeSpentOnLevel",
    "totalTimeGiven",
    "numberOfGainedCoins",
    "totalActionsPerformed",
    "jumpActionsPerformed",
}
OUR_KEYS = {
    "max_x",
    "status",
    "completion",
    "kills",
    "kills_total",
    "hurts",
    "final_mode",
    "coins",
    "jumps",
    "max_jump_length",
    "max_air_time",
    "ticks",
    "nodes_expanded",
    "stalled",
}


@pytest.fixture(scope="module")
def server():
    with Server() as running:
        yield running


def test_handshake_announces_protocol_one(server):
    assert server.handshake["ready"] is True
    assert server.handshake["protocol"] == 1
    assert server.handshake["simulator"]


def test_reply_echoes_id_and_carries_documented_telemetry(server):
    reply = server.request(id="level-7", level=FLAT)
    assert reply["id"] == "level-7"
    assert reply["ok"] is True
    telemetry = reply["telemetry"]
    assert telemetry.keys() >= MARIOVAE_KEYS | OUR_KEYS
    assert "trace" not in telemetry
    assert telemetry["status"] == "win"
    assert telemetry["marioStatus"] == 1
    assert telemetry["totalLengthOfLevelPassedCells"] == 14
    assert telemetry["totalTimeGiven"] == 20
    assert set(telemetry["kills"]) >= {"goomba", "koopa", "spiky", "piranha", "bullet_bill"}


def test_max_x_is_the_furthest_point_of_the_trace_even_when_mario_ends_further_left(server):
    telemetry = server.play(wall_level(6), agent="astar", trace=True, time_limit=4, stall_limit=0)
    trace_x = [point[0] for point in telemetry["trace"]]
    assert telemetry["status"] == "timeout"
    assert telemetry["max_x"] == pytest.approx(max(trace_x), abs=1e-3)
    assert telemetry["max_x"] >= telemetry["mario_x"]


def test_segment_start_measures_completion_from_that_column_to_the_finish(server):
    rows = wall_level(6, width=20, at=12)  # Mario walks up to the wall and stays
    whole = server.play(rows, agent="forward", time_limit=3)
    segment = server.play(rows, agent="forward", time_limit=3, segment_start=4)
    assert {k: v for k, v in whole.items() if k != "completion"} == {
        k: v for k, v in segment.items() if k != "completion"
    }
    assert whole["completion"] == pytest.approx(whole["mario_x"] / whole["finish_x"])
    left = 4 * 16  # a reader of the JSON computes the very same number
    assert segment["completion"] == (segment["mario_x"] - left) / (segment["finish_x"] - left)
    assert 0 < segment["completion"] < whole["completion"] < 1
    beyond_mario = server.play(rows, agent="forward", time_limit=3, segment_start=19)
    assert beyond_mario["completion"] == 0.0
    assert server.play(flat_level(), segment_start=3)["completion"] == 1.0  # a win


def test_the_handshake_carries_the_simulators_facts(server):
    handshake = server.handshake
    assert handshake["agents"][:2] == ["astar", "astar-reference"]
    assert handshake["start_modes"] == ["small", "large", "fire"]
    assert set(handshake["alphabets"]) == {"vglc", "mario-ai"} and "E" in handshake["alphabets"]["vglc"]
    assert handshake["defaults"] == {
        "agent": "astar",
        "time_limit": 20.0,
        "node_budget": 2000,
        "start_mode": "small",
        "stall_limit": 6.0,
        "trace": False,
    }
    assert handshake["by_hand"] == {"time_limit": 300.0, "stall_limit": 0.0}
    assert handshake["limits"]["max_node_budget"] == 100_000 and handshake["limits"]["min_height"] == 4
    with Server() as fresh:  # the same facts every time, before any request
        assert fresh.handshake == handshake
    served = run_jar("serve", stdin="")  # no requests: the handshake alone, and a clean exit
    assert served.returncode == 0 and json.loads(served.stdout) == handshake


@pytest.mark.parametrize("request_id", [0, 12.5, "x", True, None])
def test_any_scalar_id_is_echoed(server, request_id):
    assert server.request(id=request_id, level=FLAT)["id"] == request_id


def test_defaults_are_vglc_astar_twenty_seconds_small(server):
    explicit = server.request(
        level=FLAT,
        alphabet="vglc",
        agent="astar",
        time_limit=20,
        start_mode="small",
        trace=False,
    )
    assert explicit == server.request(level=FLAT)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"level": "--\nX?Z\n"}, "row 1"),
        ({"level": "-Z-\n---\n"}, "unknown tile 'Z'"),
        ({"level": ""}, "empty level"),
        ({"level": "\n\n"}, "empty level"),
        ({}, "level is required"),
        ({"level": 5}, "level is required"),
        ({"level": FLAT, "alphabet": "nes"}, "unknown alphabet"),
        ({"level": FLAT, "agent": "human"}, "unknown agent"),
        ({"level": FLAT, "time_limit": 0}, "time_limit"),
        ({"level": FLAT, "time_limit": 0.0004}, "at least one tick (0.03 game seconds)"),
        ({"level": FLAT, "time_limit": 0.029}, "at least one tick (0.03 game seconds)"),
        ({"level": FLAT, "stall_limit": 1e9}, "stall_limit"),
        ({"level": FLAT, "time_limit": "20"}, "time_limit must be a number"),
        ({"level": FLAT, "node_budget": 0}, "node_budget"),
        ({"level": FLAT, "node_budget": 2.5}, "node_budget must be an integer"),
        ({"level": FLAT, "start_mode": "huge"}, "unknown start mode"),
        ({"level": FLAT, "trace": "yes"}, "trace must be true or false"),
        ({"level": FLAT, "stall_limit": -1}, "stall_limit"),
        ({"level": FLAT, "levle": FLAT}, "unknown field 'levle'"),
        ({"level": FLAT, "id": [1]}, "id must be a JSON scalar"),
        ({"level": "y" * 14 + "\n" + "X" * 14}, "unknown tile 'y'"),
        ({"level": FLAT, "segment_start": -1}, "segment_start must be a column"),
        ({"level": FLAT, "segment_start": 2.5}, "segment_start must be a column"),
        ({"level": FLAT, "segment_start": 14}, "segment_start 14 is not a column of the level (0 to 13)"),
    ],
)
def test_bad_request_is_answered_with_an_error_and_server_keeps_serving(server, fields, message):
    reply = server.request(**{"id": 41, **fields})
    assert reply["ok"] is False
    assert message in reply["error"]
    assert server.request(id=42, level=FLAT)["ok"] is True


@pytest.mark.parametrize("line", ["not json", "{", "[1, 2]", '"level"', "{}}", "[" * 100000])
def test_non_json_or_non_object_lines_get_errors(server, line):
    reply = server.send_line(line)
    assert reply["ok"] is False
    assert reply["id"] is None
    assert server.request(level=FLAT)["ok"] is True


def test_a_time_limit_of_one_tick_ends_the_game_within_it(server):
    telemetry = server.play(flat_level(), time_limit=0.03)
    assert telemetry["status"] == "timeout" and telemetry["totalTimeGiven"] == 0.03
    assert telemetry["game_time"] <= telemetry["totalTimeGiven"]


@pytest.mark.parametrize(("time_limit", "ticks"), [(0.03, 1), (0.031, 1), (0.06, 1), (0.09, 2), (0.3, 9)])
def test_the_agent_plays_a_tick_within_every_accepted_time_limit(server, time_limit, ticks):
    # as in the reference, the idle first tick counts and the tick on which the timer runs out ends the game
    telemetry = server.play(flat_level(), time_limit=time_limit, agent="forward", trace=True)
    assert telemetry["status"] == "timeout"
    assert telemetry["ticks"] == telemetry["totalActionsPerformed"] == len(telemetry["trace"]) == ticks


@pytest.mark.parametrize(
    "token", ["12345678901234567890", "-98765432109876543210123", "1e400", "-0", "1.50E+3", "0.1", "7"]
)
def test_a_numeric_id_is_echoed_exactly_as_it_was_written(server, token):
    reply = server.send_raw(f'{{"id": {token}, "level": {json.dumps(FLAT)}}}')
    assert reply.startswith(f'{{"id":{token},"ok":true,')


@pytest.mark.parametrize("token", ["01", "1.", "-", "1e", ".5", "+1", "1.e5", "--1", "0x10", "1e+"])
def test_numbers_json_does_not_allow_are_refused(server, token):
    reply = server.send_line(f'{{"id": {token}, "level": {json.dumps(FLAT)}}}')
    assert reply["ok"] is False and reply["id"] is None
    assert "invalid JSON" in reply["error"]
    assert server.request(level=FLAT)["ok"] is True


def test_ten_megabyte_level_is_refused_quickly(server):
    reply = server.request(id="big", level="-" * 10_000_000)
    assert reply == {"id": "big", "ok": False, "error": reply["error"]}
    assert "too large" in reply["error"]
    assert server.request(level=FLAT)["ok"] is True


@pytest.mark.slow
def test_line_longer_than_the_limit_is_skipped_with_an_error(server):
    reply = server.send_line(json.dumps({"id": 1, "level": "-" * (17 * 1024 * 1024)}))
    assert reply["ok"] is False
    assert "longer than" in reply["error"]
    assert server.request(level=FLAT)["ok"] is True


def test_blank_lines_are_ignored_and_eof_ends_the_server_cleanly():
    result = run_jar("serve", stdin="\n" + json.dumps({"id": 1, "level": FLAT}) + "\n\n")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["ready"] is True
    assert json.loads(lines[1])["id"] == 1


def test_mario_ai_alphabet_is_accepted(server):
    rows = ["-" * 14] * 11 + ["M-g---k---r-F-", "X" * 14, "X" * 14]
    reply = server.request(level=level_text(rows), alphabet="mario-ai")
    assert reply["ok"], reply
    assert reply["telemetry"]["totalLengthOfLevelPassedCells"] == 14
