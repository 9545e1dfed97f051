"""Latent-space grid and sample pictures, and the ``gym-mario-latent vae`` command."""

import json

import numpy as np
import pytest
from PIL import Image

from gym_mario_latent.cli.main import main
from gym_mario_latent.levels import ids_to_rows, render_pixels
from gym_mario_latent.vae import (
    MarioVAE,
    latent_grid_image,
    latent_grid_points,
    load_checkpoint,
    load_pretrained,
    pretrained_metadata,
    sample_levels,
    save_checkpoint,
    vglc_windows_description,
)


def test_latent_grid_for_z_dim_2_is_a_regular_grid_over_the_square():
    points = latent_grid_points(2, size=5, bound=2.0)
    assert points.shape == (25, 2)
    np.testing.assert_allclose(points[0], [-2, 2])  # top-left: smallest z1, largest z2
    np.testing.assert_allclose(points[4], [2, 2])
    np.testing.assert_allclose(points[-1], [2, -2])
    np.testing.assert_allclose(np.diff(points[:5, 0]), 1.0)


def test_latent_grid_for_larger_z_dim_is_a_seeded_random_plane_through_the_origin():
    points = latent_grid_points(6, size=4, bound=3.0, seed=1)
    plane = latent_grid_points(2, size=4, bound=3.0)
    assert points.shape == (16, 6)
    assert np.linalg.matrix_rank(points, tol=1e-4) == 2
    distances = np.linalg.norm(points[:, None] - points[None], axis=-1)
    np.testing.assert_allclose(distances, np.linalg.norm(plane[:, None] - plane[None], axis=-1),
                               rtol=1e-5, atol=1e-5)  # fmt: skip
    np.testing.assert_array_equal(points, latent_grid_points(6, size=4, bound=3.0, seed=1))
    assert not np.allclose(points, latent_grid_points(6, size=4, bound=3.0, seed=2))


@pytest.mark.parametrize(
    ("size", "bound"), [(0, 3.0), (2, 0.0), (2, -1.0), (2, float("nan")), (2, float("inf"))]
)
def test_latent_grid_needs_a_positive_size_and_a_positive_finite_bound(size, bound):
    with pytest.raises(
        ValueError, match=f"need size ≥ 1 and a finite bound > 0; got size {size}, bound {bound}"
    ):
        latent_grid_points(2, size, bound)


def test_latent_grid_image_shows_the_decoded_grid_levels():
    model = load_pretrained()
    image = latent_grid_image(model, size=3, bound=1.0, tile_size=4, labels=False)
    assert image.size == (2 + 3 * 58, 2 + 3 * 58)
    decoded = model.decode_levels(latent_grid_points(2, 3, 1.0)).numpy()
    np.testing.assert_array_equal(np.asarray(image)[2:58, 2:58], render_pixels(decoded[0], 4))
    labelled = latent_grid_image(model, size=3, bound=1.0, tile_size=4)
    assert labelled.width > image.width and labelled.height > image.height


def test_vae_grid_and_sample_commands_write_pictures(tmp_path, capsys):
    grid_path, samples_path = tmp_path / "grid.png", tmp_path / "samples.png"
    assert main(["vae", "grid", "--size", "4", "--tile-size", "4", "--no-labels",
                 "--out", str(grid_path)]) == 0  # fmt: skip
    assert Image.open(grid_path).size == (2 + 4 * 58, 2 + 4 * 58)
    assert main(["vae", "sample", "-n", "6", "--columns", "3", "--seed", "2", "--print",
                 "--out", str(samples_path)]) == 0  # fmt: skip
    assert Image.open(samples_path).size == (2 + 3 * 226, 2 + 2 * 226)
    printed = capsys.readouterr().out
    assert printed.count("\n\n") >= 6 and f"wrote {samples_path}" in printed
    first = sample_levels(load_pretrained(), 6, seed=2)[0]
    assert ids_to_rows(first)[0] in printed


def test_vae_reconstruct_command_draws_held_out_windows_over_their_reconstructions(tmp_path, capsys):
    out = tmp_path / "rec.png"
    assert main(["vae", "reconstruct", "-n", "3", "--tile-size", "4", "--out", str(out)]) == 0
    assert Image.open(out).size == (2 + 3 * 58, 2 + 2 * 58)
    accuracy = float(capsys.readouterr().out.split("held-out tile accuracy ")[1].split()[0])
    recorded = pretrained_metadata()["metrics"]["test_tile_accuracy"]
    assert accuracy == pytest.approx(recorded, abs=1e-4)


def test_vae_commands_use_a_given_checkpoint_of_another_z_dim(tmp_path, capsys):
    save_checkpoint(MarioVAE(z_dim=4), tmp_path / "z4")
    out = tmp_path / "grid4.png"
    assert main(["vae", "grid", "--checkpoint", str(tmp_path / "z4"), "--size", "2",
                 "--tile-size", "2", "--out", str(out)]) == 0  # fmt: skip
    assert out.is_file()
    assert main(["vae", "info", "--checkpoint", str(tmp_path / "z4.json")]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])["z_dim"] == 4


def test_vae_command_reports_a_bad_checkpoint_as_one_error_line(tmp_path, capsys):
    assert main(["vae", "sample", "--checkpoint", str(tmp_path / "missing"),
                 "--out", str(tmp_path / "x.png")]) == 2  # fmt: skip
    assert "does not exist" in capsys.readouterr().err


def test_vae_reconstruct_refuses_a_checkpoint_trained_on_other_windows(tmp_path, capsys):
    save_checkpoint(MarioVAE(z_dim=2), tmp_path / "other", config={"seed": 0, "data": "my 40 windows"})
    assert main(["vae", "reconstruct", "--checkpoint", str(tmp_path / "other"),
                 "--out", str(tmp_path / "x.png")]) == 2  # fmt: skip
    assert "was trained on my 40 windows: reconstruct draws from" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["sample", "-n", "0"], "argument -n/--count: 0 is not a positive integer"),
        (["sample", "-n", "-5"], "argument -n/--count: -5 is not a positive integer"),
        (["reconstruct", "-n", "0"], "argument -n/--count: 0 is not a positive integer"),
        (["grid", "--out", "{tmp_path}"], "argument --out: {tmp_path} is a folder"),
        (["grid", "--size", "0"], "argument --size: 0 is not a positive integer"),
        (["grid", "--bound", "nan"], "argument --bound: nan is not a positive finite number"),
        (["grid", "--bound", "inf"], "argument --bound: inf is not a positive finite number"),
        (["grid", "--bound", "0"], "argument --bound: 0 is not a positive finite number"),
        (["grid", "--bound", "-1.5"], "argument --bound: -1.5 is not a positive finite number"),
        (["sample", "--columns", "-1"], "argument --columns: -1 is not a positive integer"),
        (["sample", "--tile-size", "0"], "argument --tile-size: 0 is not a positive integer"),
        (
            ["sample", "--seed", str(2**64)],
            f"argument --seed: {2**64} is not a seed: torch and numpy take 0 to",
        ),
        (["grid", "--seed", "-1"], "argument --seed: -1 is not a seed: torch and numpy take 0 to 2**64 - 1"),
        (["reconstruct", "--seed", str(2**64)], f"argument --seed: {2**64} is not a seed"),
        (["train", "--seed", str(2**64)], f"argument --seed: {2**64} is not a seed"),
        (["train", "--z-dim", "0"], "argument --z-dim: 0 is not a positive integer"),
        (["train", "--epochs", "0"], "argument --epochs: 0 is not a positive integer"),
        (["train", "--batch-size", "-2"], "argument --batch-size: -2 is not a positive integer"),
        (["train", "--patience", "0"], "argument --patience: 0 is not a positive integer"),
        (["train", "--lr", "nan"], "argument --lr: nan is not a positive finite number"),
        (
            ["train", "--test-fraction", "1.5"],
            "argument --test-fraction: 1.5 is not a fraction between 0 and 1",
        ),
        (
            ["train", "--test-fraction", "nan"],
            "argument --test-fraction: nan is not a fraction between 0 and 1",
        ),
        (["train", "--threads", "0"], "argument --threads: 0 is not a positive integer"),
        (
            ["import", "x.pt", "--out", "{tmp_path}/a-file"],
            "argument --out: {tmp_path}/a-file is not a folder (it is a regular file)",
        ),
        (
            ["sample", "--out", "/dev/null"],
            "argument --out: /dev/null is not a regular file (it is a character device)",
        ),
    ],
)
def test_vae_commands_refuse_bad_arguments_in_one_line_with_exit_status_2(
    tmp_path, capsys, arguments, message
):
    (tmp_path / "a-file").write_text("a file where a folder belongs")
    arguments = [argument.format(tmp_path=tmp_path) for argument in arguments]
    with pytest.raises(SystemExit) as exit_status:
        main(["vae", *arguments])
    assert exit_status.value.code == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and message.format(tmp_path=tmp_path) in error
    assert error.startswith(f"gym-mario-latent vae {arguments[0]}: error: ")


def test_vae_train_and_import_refuse_a_target_they_cannot_write_before_any_work(tmp_path, capsys):
    (tmp_path / "model.json").mkdir()  # where train's metadata file would go
    assert main(["vae", "train", "--epochs", "1", "--out", str(tmp_path / "model")]) == 2
    error = capsys.readouterr().err  # one line, no progress bar: refused before training
    assert error.count("\n") == 1 and f"{tmp_path / 'model.json'} is a folder: give the path" in error
    (tmp_path / "file").write_text("keep")
    with pytest.raises(SystemExit) as usage_error:  # refused by the argument's type, while parsing
        main(["vae", "import", str(tmp_path / "missing.pt"), "--out", str(tmp_path / "file")])
    assert usage_error.value.code == 2
    assert "file is not a folder (it is a regular file)" in capsys.readouterr().err
    assert (tmp_path / "file").read_text() == "keep" and not (tmp_path / "model.safetensors").exists()


@pytest.mark.slow
def test_vae_train_command_writes_a_loadable_checkpoint(tmp_path, capsys):
    out = tmp_path / "run_z{z_dim}"
    assert main(["vae", "train", "--z-dim", "3", "--epochs", "1", "--seed", "4", "--quiet",
                 "--out", str(out)]) == 0  # fmt: skip
    model = load_checkpoint(tmp_path / "run_z3", z_dim=3)
    metadata = json.loads((tmp_path / "run_z3.json").read_text())
    assert metadata["config"]["seed"] == 4 and metadata["metrics"]["epochs_run"] == 1
    assert metadata["config"]["data"] == vglc_windows_description()
    assert model.z_dim == 3 and "held-out tile accuracy" in capsys.readouterr().out
