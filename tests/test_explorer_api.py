"""The explorer's JSON API over HTTP, against a real uvicorn server on 127.0.0.1 (the real VAE, the real
simulator): answer shapes, a clear JSON error for each kind of bad request, and the playability cache."""

from __future__ import annotations

import base64
import io
import itertools
import json
import socket

import numpy as np
import pytest
import torch
from explorer_support import explorer_server, finished_map, request, write_elites_file
from PIL import Image

pytest.importorskip("fastapi", reason="the explorer extra is not installed")
pytest.importorskip("uvicorn", reason="the explorer extra is not installed")

from gym_mario_latent.cli.main import main
from gym_mario_latent.explorer.server import is_loopback
from gym_mario_latent.latent import measures
from gym_mario_latent.latent.elites import read_elites
from gym_mario_latent.latent.playability import MapSpec, playable_path
from gym_mario_latent.simulator_bridge import default_facts
from gym_mario_latent.vae import latent_grid_points, load_pretrained, pretrained_metadata

MAP = {"size": 10, "bound": 3.0}


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("explorer-home")


@pytest.fixture(scope="module")
def url(home):
    with explorer_server(home) as address:
        yield address


def text(segment) -> list[str]:
    return ["".join("XS-?QE<>[]o"[i] for i in row) for row in segment]


def decode(z):
    with torch.no_grad():
        return load_pretrained().decode_levels(torch.tensor(z, dtype=torch.float32)).numpy()


def test_info_names_the_generator_by_its_hash_and_the_simulators_agents(url):
    status, info = request(url + "api/info")
    assert status == 200
    assert info["generator"] == {
        "name": "pretrained",
        "z_dim": 2,
        "shape": [14, 14],
        "sha256": pretrained_metadata()["weights_sha256"],
    }
    assert info["agents"] == list(default_facts().agents)
    assert "playable" in info["layers"]["behaviour"] and "enemies" in info["layers"]["content"]
    assert info["archive"] is None


def test_the_page_and_its_art_are_served_from_the_package(url):
    status, page = request(url)
    assert status == 200 and b'<script type="module" src="/static/explorer.js">' in page
    assert request(url + "static/replay.js")[0] == 200
    for picture in ("tiles", "mario", "sprites"):
        status, png = request(url + f"api/{picture}.png")
        assert status == 200 and png.startswith(b"\x89PNG")
    # one 16 × 32 picture per sprite kind of the sprite trace but Mario (id 0), in id order
    kinds = request(url + "api/info")[1]["sprite_kinds"]
    assert kinds[:2] == ["mario", "goomba"]
    assert Image.open(io.BytesIO(png)).size == (16 * (len(kinds) - 1), 32)


def test_the_map_decodes_every_cell_with_its_content_layers(url):
    status, answer = request(url + "api/map", {"size": 4, "bound": 2.0})
    assert status == 200
    points = latent_grid_points(2, 4, 2.0)
    np.testing.assert_allclose(answer["points"], points, atol=1e-5)
    segments = decode(points)
    assert answer["segments"] == ["".join(text(s)) for s in segments]
    assert answer["layers"]["enemies"] == [measures.enemies(s) for s in segments]
    assert answer["layers"]["linearity"] == pytest.approx([measures.linearity(s) for s in segments])


def test_a_played_level_comes_with_its_trace_path_picture_and_telemetry(url):
    status, played = request(url + "api/play", {"latents": [[0.5, 0.1]]})
    assert status == 200
    telemetry, trace = played["telemetry"], played["trace"]
    assert played["rows"] == text(decode([[0.5, 0.1]])[0])
    assert [len(row) for row in played["played_rows"]] == [14 + 6] * 14  # 3 columns of padding each side
    assert played["segment_start"] == 3
    assert len(trace) == telemetry["ticks"] > 0
    assert trace[-1][:2] == [telemetry["mario_x"], telemetry["mario_y"]]
    assert "trace" not in telemetry and "sprite_trace" not in telemetry
    assert len(played["sprites"]) == telemetry["ticks"]
    assert all(len(sprite) == 4 for tick in played["sprites"] for sprite in tick)
    assert base64.b64decode(played["picture"].removeprefix("data:image/png;base64,")).startswith(b"\x89PNG")


def test_the_agent_is_chosen_per_request(url):
    status, played = request(url + "api/play", {"latents": [[0.5, 0.1]], "agent": "forward"})
    assert status == 200 and played["telemetry"]["agent"] == "forward"
    assert played["telemetry"]["jumps"] == 0  # forward never jumps


def test_a_built_level_is_its_segments_side_by_side(url):
    latents = [[0.5, 0.1], [-1.0, 0.3], [0.0, -0.5]]
    status, played = request(url + "api/play", {"latents": latents})
    assert status == 200
    expected = np.concatenate(list(decode(latents)), axis=1)
    assert played["rows"] == text(expected)
    assert played["telemetry"]["totalLengthOfLevelPassedCells"] == 3 * 14 + 6


def test_the_gif_is_the_playthrough(url):
    status, gif = request(url + "api/gif", {"latents": [[0.5, 0.1]]})
    assert status == 200 and gif.startswith(b"GIF89a")


@pytest.mark.parametrize(
    ("path", "body", "status", "says"),
    [
        ("api/play", {"latents": [[0.5]]}, 400, "2 components"),
        ("api/play", {"latents": [[0.5, 0.1]], "agent": "mario"}, 400, "unknown agent 'mario'"),
        ("api/play", {"latents": [[0.5, 0.1]], "speed": 2}, 422, "speed: Extra inputs are not permitted"),
        ("api/play", {"latents": []}, 422, "latents: List should have at least 1 item"),
        ("api/play", {"latents": [[0.5, 0.1]] * 33}, 422, "latents: List should have at most 32 items"),
        ("api/play", {"latents": [[1e9, 0.1]]}, 422, "latents.0.0: Input should be less than or equal"),
        ("api/play", {"latents": [["a", 0.1]]}, 422, "latents.0.0: Input should be a valid number"),
        ("api/map", {"size": 65}, 422, "size: Input should be less than or equal to 64"),
        ("api/map", {"size": 4, "axes": [0, 0]}, 400, "two different latent axes"),
        ("api/map", {"size": 4, "bound": 0}, 422, "bound: Input should be greater than 0"),
        ("api/interpolate", {"a": [0, 0], "b": [1, 1], "steps": 1}, 422, "steps"),
        ("api/interpolate", {"a": [0, 0], "b": [1, 1], "map_id": "abc"}, 400, "no finished playability map"),
        ("api/archive", None, 400, "no archive: start the explorer with --archive FILE"),
        ("api/playability/0123abcd", None, 404, "no playability map '0123abcd' was started"),
        ("api/nothing-here", None, 404, "Not Found"),
    ],
)
def test_a_bad_request_gets_one_clear_json_error(url, path, body, status, says):
    got, answer = request(url + path, body)
    assert got == status
    assert list(answer) == ["error"] and says in answer["error"]


def test_json_that_is_not_a_request_is_refused_clearly(url):
    status, answer = request(url + "api/play", raw=b'{"latents": [[NaN, 0]]}')
    assert status == 422 and "latents.0.0" in answer["error"]
    status, answer = request(url + "api/play", raw=b"not json")
    assert status == 422 and "JSON" in answer["error"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(url):
    body = json.dumps({"latents": [[0.0] * 80000]}).encode()
    status, answer = request(url + "api/play", raw=body)
    assert status == 413 and "longer than 262144 bytes" in answer["error"]
    status, answer = request(
        url + "api/play", raw=iter([body[i : i + 8192] for i in range(0, len(body), 8192)])
    )
    assert status == 413 and "longer than 262144 bytes" in answer["error"]  # sent in chunks, without a length


def test_the_playability_map_reports_progress_and_plays_every_cell(url, home):
    job = finished_map(url, MAP)
    result = job["result"]
    assert job["total"] == job["done"] >= 1
    assert len(result["status"]) == 100 and set(result["status"]) <= {"win", "lose", "timeout"}
    assert result["layers"]["playable"] == [float(s == "win") for s in result["status"]]
    assert 0 < sum(result["layers"]["playable"]) < 100  # the pretrained space has both
    cache = home / "cache" / "explorer" / "playability" / f"{job['id']}.json"
    stored = json.loads(cache.read_text())
    assert stored["key"]["generator_sha256"] == pretrained_metadata()["weights_sha256"]
    assert stored["result"] == result


def test_the_straight_line_and_the_playable_path_of_an_interpolation(url):
    job = finished_map(url, MAP)
    status = job["result"]["status"]
    spec = MapSpec(10, 3.0, (0.0, 0.0))
    points = spec.points()
    playable = [s == "win" for s in status]
    ends = [i for i in range(100) if playable[i]]
    a, b = points[ends[0]].tolist(), points[ends[-1]].tolist()
    got, answer = request(url + "api/interpolate", {"a": a, "b": b, "steps": 5, "map_id": job["id"]})
    assert got == 200
    line = answer["line"]
    assert len(line) == 5 and line[0]["z"] == pytest.approx(a) and line[-1]["z"] == pytest.approx(b)
    assert all(step["playable"] == (step["status"] == "win") for step in line)
    expected = playable_path(spec, playable, ends[0], ends[-1])
    assert answer["path_cells"] == expected
    if expected is not None:
        assert all(step["playable"] for step in answer["path"])
        steps = itertools.pairwise(expected)
        assert all(max(abs(p // 10 - q // 10), abs(p % 10 - q % 10)) == 1 for p, q in steps)


def test_the_playability_map_is_read_from_the_cache_by_a_new_server(home, url):
    job = finished_map(url, MAP)
    with explorer_server(home) as second:
        status, again = request(second + "api/playability", MAP)
        assert status == 200
        assert again["state"] == "done" and again["cached"] is True
        assert again["id"] == job["id"] and again["result"] == job["result"]
        status, other = request(second + "api/playability", MAP | {"agent": "forward"})
        assert other["id"] != job["id"] and other["cached"] is False


def test_the_command_refuses_a_port_in_use_in_one_line(capsys, home, monkeypatch):
    monkeypatch.setenv("GYM_MARIO_LATENT_HOME", str(home))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["explore", "--port", str(port)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"gym-mario-latent: error: cannot serve on 127.0.0.1:{port}")
    assert error.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--generator", "no-such-model"], "cannot load the generator 'no-such-model'"),
        (["--archive", "/no/such/file.json"], "cannot read the archive /no/such/file.json"),
        (["--time-limit", "0"], "the time limit must be 0.03 to 3600 game seconds; got 0"),
    ],
)
def test_the_command_refuses_what_it_cannot_serve_in_one_line(capsys, args, says):
    assert main(["explore", *args]) == 2
    error = capsys.readouterr().err
    assert says in error and error.count("\n") == 1


def test_the_help_says_how_to_reach_it_on_a_remote_machine(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["explore", "--help"])
    assert exit_.value.code == 0
    assert "ssh -L 8000:localhost:8000" in capsys.readouterr().out


@pytest.fixture(scope="module")
def archive_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explorer-archive")
    elites = write_elites_file(folder / "elites.json")
    with explorer_server(folder / "home", "--archive", str(elites)) as address:
        yield address, read_elites(elites)


def test_an_archive_comes_with_its_generator_and_each_elites_segment(archive_server):
    url, elites = archive_server
    status, info = request(url + "api/info")
    assert info["generator"]["name"] == "pretrained-32" and info["generator"]["z_dim"] == 32
    assert info["archive"] == {
        "measure_names": ["sky_tiles", "enemies"],
        "dims": [6, 4],
        "elites": len(elites.elites),
    }
    status, archive = request(url + "api/archive")
    assert status == 200
    solutions = [e.solution for e in elites.elites]
    np.testing.assert_allclose([e["solution"] for e in archive["elites"]], solutions)
    with torch.no_grad():
        segments = load_pretrained("pretrained-32").decode_levels(torch.tensor(solutions)).numpy()
    assert archive["segments"] == ["".join(text(s)) for s in segments]
    assert archive["layers"]["sky_tiles"] == [
        e.measures[0] for e in elites.elites
    ]  # the archive's own measure
    status, played = request(url + "api/play", {"latents": [archive["elites"][0]["solution"]]})
    assert status == 200 and played["rows"] == text(segments[0])


def test_a_slice_of_a_larger_latent_runs_through_its_center_along_two_axes(archive_server):
    url, elites = archive_server
    center = list(elites.elites[0].solution)
    status, answer = request(url + "api/map", {"size": 3, "bound": 1.0, "center": center, "axes": [3, 7]})
    assert status == 200
    offsets = np.array(answer["points"]) - np.array(center)
    assert np.abs(np.delete(offsets, [3, 7], axis=1)).max() < 1e-4
    np.testing.assert_allclose(offsets[:, [3, 7]], latent_grid_points(2, 3, 1.0), atol=1e-4)
    status, answer = request(url + "api/map", {"size": 3, "center": center[:2]})
    assert status == 400 and "32 components" in answer["error"]


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True), ("0.0.0.0", False),
     ("192.168.1.4", False), ("example.org", False)],
)  # fmt: skip
def test_only_a_loopback_host_is_taken_for_this_machine_alone(host, loopback):
    assert is_loopback(host) is loopback


def test_maps_past_the_pending_bound_are_refused_until_one_is_done(url):
    # the module's last test on its server: it leaves big maps computing, which the server's end stops
    for bound in (1.0, 1.5, 2.0, 2.5):
        status, job = request(url + "api/playability", {"size": 64, "bound": bound})
        assert status == 200 and job["state"] in ("queued", "running")
    status, answer = request(url + "api/playability", {"size": 64, "bound": 4.5})
    assert status == 400
    assert answer["error"] == "4 playability maps are being computed: wait for one to finish"
