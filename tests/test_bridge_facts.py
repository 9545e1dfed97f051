"""The simulator's facts: the jar reports them in its handshake, the bridge reads them once per jar and
checks settings and levels against them, and the Python alphabets are the jar's."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from pathlib import Path

import psutil
import pytest
from simulator_support import Server, flat_level, level_text

from gym_mario_latent.errors import LevelFormatError, SimulatorError
from gym_mario_latent.levels import FINISH_MARK, LEVEL_ALPHABETS, START_MARK, VAE_TILES
from gym_mario_latent.simulator_bridge import (
    GameSettings,
    Simulator,
    SimulatorFacts,
    default_facts,
    read_facts,
)
from gym_mario_latent.simulator_bridge.jar import ensure_jar
from gym_mario_latent.simulator_bridge.level_input import level_to_rows
from gym_mario_latent.simulator_bridge.runtime import WORKER_JVM_OPTIONS, find_java
from gym_mario_latent.simulator_bridge.worker import Worker


@pytest.fixture(scope="module")
def server():
    with Server() as running:
        yield running


@pytest.fixture(scope="module")
def facts() -> SimulatorFacts:
    return default_facts()


def test_the_bridge_sees_the_facts_of_a_running_worker(server, facts):
    assert SimulatorFacts.from_handshake(server.handshake) == facts
    assert facts.agents[0] == "astar" and "astar-reference" in facts.agents
    assert facts.limits.min_time_limit == facts.limits.tick_seconds == 0.03


def test_the_settings_defaults_are_the_jars(server, facts):
    settings = GameSettings()
    assert {name: getattr(settings, name) for name in facts.defaults} == facts.defaults
    assert (settings.agent, settings.time_limit, settings.node_budget) == ("astar", 20.0, 2000)
    telemetry = server.play(flat_level())  # a request without settings: the jar's defaults
    assert telemetry["agent"] == settings.agent and telemetry["totalTimeGiven"] == settings.time_limit
    with Simulator(workers=1) as simulator:
        assert simulator.settings == settings


def test_every_agent_the_jar_names_plays_and_no_other_is_accepted_on_either_side(server, facts):
    for agent in facts.agents:
        GameSettings(agent=agent)
        assert server.play(flat_level(), agent=agent, time_limit=0.3)["agent"] == agent
    with pytest.raises(ValueError, match="unknown agent 'human'"):
        GameSettings(agent="human")
    assert not server.request(level=level_text(flat_level()), agent="human")["ok"]


@pytest.mark.parametrize(
    ("field", "limit", "beyond"),
    [
        ("time_limit", "max_time_limit", 1.0),
        ("time_limit", "min_time_limit", -0.001),
        ("stall_limit", "max_stall_limit", 1.0),
        ("node_budget", "max_node_budget", 1),
    ],
)
def test_python_and_the_jar_accept_the_same_settings_up_to_each_limit(server, facts, field, limit, beyond):
    edge = getattr(facts.limits, limit)
    GameSettings(**{field: edge})
    with pytest.raises(ValueError, match=field):
        GameSettings(**{field: edge + beyond})
    one_tick = {"time_limit": facts.limits.min_time_limit, "agent": "noop"}
    assert server.request(level=level_text(flat_level()), **(one_tick | {field: edge}))["ok"]
    refused = server.request(level=level_text(flat_level()), **(one_tick | {field: edge + beyond}))
    assert not refused["ok"] and field in refused["error"]


def test_the_jars_alphabets_are_the_alphabets_of_the_levels_package(facts):
    assert {name: set(chars) for name, chars in facts.alphabets.items()} == {
        name: set(chars) for name, chars in LEVEL_ALPHABETS.items()
    }
    assert facts.tile_ids == VAE_TILES
    assert facts.markers == {"start": START_MARK, "finish": FINISH_MARK}


def test_python_and_the_jar_accept_the_same_characters(server, facts):
    for alphabet, chars in facts.alphabets.items():
        for char in map(chr, range(32, 127)):
            rows = [char * 3, "---", "---", "XXX"]
            try:
                level_to_rows(rows, alphabet)
                python_accepts = True
            except LevelFormatError:
                python_accepts = False
            reply = server.request(level=level_text(rows), alphabet=alphabet, agent="noop", time_limit=0.03)
            assert python_accepts == reply["ok"] == (char in chars), (alphabet, char, reply)


def test_facts_are_read_from_one_jvm_once_then_from_the_cache_under_the_jars_hash(tmp_path, monkeypatch):
    monkeypatch.setenv("GYM_MARIO_LATENT_HOME", str(tmp_path / "home"))
    jar = Path(shutil.copy(ensure_jar(), tmp_path / "simulator.jar"))
    facts = read_facts(find_java().path, jar)
    cached = tmp_path / "home" / "cache" / "simulator-facts"
    digest = hashlib.sha256(jar.read_bytes()).hexdigest()
    assert [path.name for path in cached.iterdir()] == [f"{digest}.json"]
    assert SimulatorFacts.from_handshake(json.loads((cached / f"{digest}.json").read_text())) == facts
    # the same bytes elsewhere: no JVM is started, so a java that does not exist does not matter
    again = Path(shutil.copy(jar, tmp_path / "again.jar"))
    assert read_facts(str(tmp_path / "no-java"), again) == facts
    with pytest.raises(SimulatorError, match=r"exited.*before its handshake"):
        (tmp_path / "other.jar").write_text("not a jar")
        read_facts(find_java().path, tmp_path / "other.jar")


def test_a_handshake_without_facts_or_of_another_protocol_says_to_rebuild_the_jar(server):
    older = {key: server.handshake[key] for key in ("ready", "protocol", "simulator")}
    with pytest.raises(SimulatorError, match=r"does not carry its facts.*rebuild the jar"):
        SimulatorFacts.from_handshake(older)
    with pytest.raises(SimulatorError, match=r"protocol 2.*rebuild the jar"):
        SimulatorFacts.from_handshake(server.handshake | {"protocol": 2})


def test_a_worker_whose_facts_changed_since_the_settings_were_checked_is_refused(facts):
    worker = Worker([find_java().path, *WORKER_JVM_OPTIONS, "-cp", str(ensure_jar()), "Main", "serve"])
    other = dataclasses.replace(facts, agents=(*facts.agents, "mine"))
    with pytest.raises(SimulatorError, match="other facts"):
        worker.wait_ready(60, other)
    assert not worker.alive


def test_a_worker_jvm_that_cannot_start_is_an_error_and_leaves_nothing_behind():
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with pytest.raises(SimulatorError, match="exited"):
        Simulator(workers=2, jvm_options=["-XX:+NoSuchOption"])
    assert {p.pid for p in psutil.Process().children(recursive=True)} <= before


def test_a_simulator_takes_game_settings_and_changes_fields_given_beside_them():
    settings = GameSettings(agent="forward", time_limit=5)
    with Simulator(workers=1, settings=settings, trace=True) as simulator:
        assert simulator.settings == dataclasses.replace(settings, trace=True)
        assert simulator.evaluate(flat_level()).agent == "forward"
    with pytest.raises(TypeError, match=r"unknown arguments \['time_limt'\]"):
        Simulator(time_limt=5)
