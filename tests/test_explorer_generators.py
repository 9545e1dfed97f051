"""The explorer over the toolkit's other generators, against a real server (the real DCGAN, the simulator):
``--generator gan`` serves its 14 × 28 segments, and an elites file of 2-segment GAN scenes (written from real
evaluations) opens as a heat map whose elites play as 56-column scenes."""

from __future__ import annotations

import numpy as np
import pytest
from explorer_support import explorer_server, request

pytest.importorskip("fastapi", reason="the explorer extra is not installed")
pytest.importorskip("uvicorn", reason="the explorer extra is not installed")
pytest.importorskip("ribs", reason="the search extra is not installed")

from gym_mario_latent.latent.archives import make_archive
from gym_mario_latent.latent.elites import read_elites, save_elites
from gym_mario_latent.latent.evaluation import LatentEvaluator
from gym_mario_latent.latent.generators import load_generator, vae_ids
from gym_mario_latent.levels import ids_to_rows

MEASURES = ("sky_tiles", "enemies")


def gan_rows(latents) -> list[list[str]]:
    """The shipped GAN's segments of `latents` as VAE tile rows, decoded here without the explorer."""
    gan = load_generator("gan")
    return [
        ids_to_rows(s) for s in vae_ids(gan.generate(np.asarray(latents, dtype=np.float32)), gan.alphabet)
    ]


def test_the_gan_is_served_as_its_14_by_28_segments(tmp_path):
    with explorer_server(tmp_path / "home", "--generator", "gan") as url:
        status, info = request(url + "api/info")
        assert status == 200
        assert (info["generator"]["name"], info["generator"]["z_dim"]) == ("gan", 32)
        assert info["generator"]["shape"] == [14, 28]
        status, answer = request(url + "api/map", {"size": 2, "bound": 1.0, "axes": [0, 5]})
        assert status == 200
        assert answer["segments"] == ["".join(rows) for rows in gan_rows(answer["points"])]
        latent = answer["points"][0]
        status, played = request(url + "api/play", {"latents": [latent]})
        assert status == 200
        assert played["rows"] == gan_rows([latent])[0] and [len(r) for r in played["rows"]] == [28] * 14
        assert played["telemetry"]["ticks"] > 0


@pytest.fixture(scope="module")
def scene_archive(tmp_path_factory):
    """An elites file of 2-segment GAN scenes, their objective (completion) and measures from real games."""
    folder = tmp_path_factory.mktemp("explorer-scenes")
    latents = np.random.default_rng(3).standard_normal((6, 64)).astype(np.float32)
    with LatentEvaluator(generator="gan", scene_segments=2, workers=2) as evaluator:
        batch = evaluator.evaluate_latents(latents, objective="completion", measures=MEASURES)
    archive = make_archive("lsi-sky-enemies", 64, seed=0)
    archive.add(latents, batch.objective, batch.measures)
    path = save_elites(archive, folder / "elites.json", MEASURES, generator="gan", scene_segments=2)
    return path, batch


def test_an_elites_file_records_its_scene_segments(scene_archive):
    path, _ = scene_archive
    elites = read_elites(path)
    assert (elites.generator, elites.scene_segments, elites.solution_dim) == ("gan", 2, 64)


def test_an_archive_of_gan_scenes_opens_and_a_click_plays_the_whole_scene(scene_archive, tmp_path):
    path, batch = scene_archive
    elites = read_elites(path)
    with explorer_server(tmp_path / "home", "--archive", str(path)) as url:
        status, info = request(url + "api/info")
        assert status == 200
        assert info["generator"]["name"] == "gan" and info["generator"]["z_dim"] == 64
        assert info["generator"]["shape"] == [14, 56]
        assert info["archive"]["measure_names"] == list(MEASURES)
        status, archive = request(url + "api/archive")
        assert status == 200
        assert len(archive["elites"]) == len(elites.elites)
        first = archive["elites"][0]["solution"]
        halves = gan_rows([first[:32], first[32:]])
        scene = ["".join(parts) for parts in zip(*halves, strict=True)]
        assert archive["segments"][0] == "".join(scene)
        status, played = request(url + "api/play", {"latents": [first]})
        assert status == 200
        assert played["rows"] == scene and [len(row) for row in played["rows"]] == [56] * 14
        index = int(np.argmin(np.abs(batch.z - np.float32(first)).sum(axis=1)))
        assert played["telemetry"]["completion"] == pytest.approx(batch.telemetry[index].completion)


def test_a_checkpoint_path_is_told_vae_or_gan_by_its_metadata_and_keyed_by_its_weights_and_k():
    from gym_mario_latent.explorer.generator import load_generator as explorer_generator
    from gym_mario_latent.gan import pretrained_gan_metadata, resolve_gan_checkpoint
    from gym_mario_latent.vae import MarioVAE, resolve_checkpoint

    vae = explorer_generator(str(resolve_checkpoint("pretrained-32")))
    assert isinstance(vae.model, MarioVAE) and (vae.z_dim, vae.shape) == (32, (14, 14))
    gan = explorer_generator(str(resolve_gan_checkpoint("pretrained")))
    assert gan.sha256 == explorer_generator("gan").sha256 == pretrained_gan_metadata()["weights_sha256"]
    scenes = explorer_generator("gan", scene_segments=2)
    assert (scenes.z_dim, scenes.shape) == (64, (14, 56)) and scenes.sha256 != gan.sha256
