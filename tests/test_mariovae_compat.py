"""MarioVAE's drop-in: its `.pt` state dicts imported safely, its names (VAEMario, p_z,
test_level_from_z) and a clear error for a decoded distribution passed where tile ids belong.

The state dicts are built here from the layer layout MarioVAE's blog post uses (encoder, enc_mu,
enc_var, decoder: nn.Sequential stacks of Linear and Tanh), with random weights: no file of
MarioVAE's is needed or shipped.
"""

import json
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import torch
from torch import nn
from torch.distributions import Normal

from gym_mario_latent.cli.main import main
from gym_mario_latent.errors import CheckpointError, LevelFormatError
from gym_mario_latent.levels import ids_to_onehot, ids_to_text
from gym_mario_latent.simulator_bridge import (
    test_level_from_decoded_tensor,
    test_level_from_int_tensor,
    test_level_from_z,
)
from gym_mario_latent.vae import (
    MarioVAE,
    VAEMario,
    load_checkpoint,
    load_mariovae_state_dict,
    load_pretrained,
    read_metadata,
)

CONSOLE_SCRIPT = str(Path(sys.executable).parent / "gym-mario-latent")
INPUTS = 11 * 14 * 14


class BlogLayout(nn.Module):
    """The layers of MarioVAE's VAEMario, under its names, and its encode/decode arithmetic."""

    def __init__(self, z_dim: int = 2, inputs: int = INPUTS) -> None:
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Linear(inputs, 512), nn.Tanh(), nn.Linear(512, 256), nn.Tanh(), nn.Linear(256, 128), nn.Tanh()
        )
        self.enc_mu = nn.Sequential(nn.Linear(128, z_dim))
        self.enc_var = nn.Sequential(nn.Linear(128, z_dim))  # the log-variance
        self.decoder = nn.Sequential(
            nn.Linear(z_dim, 256), nn.Tanh(), nn.Linear(256, 512), nn.Tanh(), nn.Linear(512, inputs)
        )

    def encode(self, onehot: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.encoder(onehot.reshape(len(onehot), -1))
        return self.enc_mu(hidden), torch.exp(0.5 * self.enc_var(hidden))

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z).reshape(-1, 14, 14, 11)


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CONSOLE_SCRIPT, *args], capture_output=True, text=True, timeout=300)


def save_blog_state_dict(path: Path, z_dim: int = 2, seed: int = 0) -> BlogLayout:
    torch.manual_seed(seed)
    blog = BlogLayout(z_dim).eval()
    torch.save(blog.state_dict(), path)
    return blog


def test_vae_import_converts_a_mariovae_state_dict_into_a_checkpoint_that_decodes_the_same(tmp_path):
    blog = save_blog_state_dict(tmp_path / "example.pt", z_dim=3)
    result = run_script("vae", "import", str(tmp_path / "example.pt"), "--out", str(tmp_path / "imported"))
    assert result.returncode == 0, result.stderr
    checkpoint = tmp_path / "imported" / "example"
    assert f"--checkpoint {checkpoint}" in result.stdout and "z_dim 3" in result.stdout
    assert read_metadata(checkpoint)["config"]["imported_from"] == str(tmp_path / "example.pt")

    model = load_checkpoint(checkpoint, z_dim=3)
    z = torch.randn(5, 3, generator=torch.Generator().manual_seed(1))
    levels = torch.randint(0, 11, (4, 14, 14), generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        torch.testing.assert_close(model.decode(z).logits, torch.log_softmax(blog.decode_logits(z), dim=-1))
        posterior = model.encode(levels)
        mean, scale = blog.encode(ids_to_onehot(levels))
    torch.testing.assert_close(posterior.mean, mean)
    torch.testing.assert_close(posterior.stddev, scale)


class CreatesAFileWhenUnpickled:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))


def test_a_pickled_object_is_refused_without_running_its_code(tmp_path):
    marker = tmp_path / "the pickle ran"
    torch.save(
        {"encoder.0.weight": torch.zeros(1), "payload": CreatesAFileWhenUnpickled(marker)},
        tmp_path / "evil.pt",
    )
    # the same file loaded without weights_only does run the code: the test would see it
    torch.load(tmp_path / "evil.pt", weights_only=False)
    assert marker.exists()
    marker.unlink()
    with pytest.raises(CheckpointError, match=r"holds a pickled object \(_io.open\).*state_dict\(\)"):
        load_mariovae_state_dict(tmp_path / "evil.pt")
    assert not marker.exists()
    result = run_script("vae", "import", str(tmp_path / "evil.pt"), "--out", str(tmp_path))
    assert result.returncode == 2 and "weights-only" in result.stderr and not marker.exists()


def _drop(name: str):
    def change(state):
        del state[name]

    return change


def _set(name: str, tensor: torch.Tensor):
    def change(state):
        state[name] = tensor

    return change


def _tile_kinds(kinds: int):
    def change(state):
        state["encoder.0.weight"] = torch.zeros(512, kinds * 196)

    return change


BAD_STATE_DICTS = {
    "a missing layer": (_drop("decoder.4.bias"), r"missing \['decoder.4.bias'\]"),
    "12 tile kinds": (_tile_kinds(12), r"12 tile kinds, not the 11 tiles \(X S - \? Q E"),
    "an extra tensor": (lambda state: state.update(extra=torch.zeros(2)), r"unexpected \['extra'\]"),
    "a head of another z_dim": (
        lambda state: state.update({"enc_var.0.weight": torch.zeros(4, 128)}),
        r"enc_log_var.weight has shape \(4, 128\), expected \(2, 128\) \(z_dim 2\)",
    ),
    "no mean head": (_drop("enc_mu.0.weight"), "not a MarioVAE VAEMario state dict: no 'enc_mu.0.weight'"),
    "an int key": (lambda state: state.update({0: torch.zeros(2)}), "holds a key 0, not a tensor name"),
    "a 0-d input layer": (
        _set("encoder.0.weight", torch.tensor(1.0)),
        r"encoder.0.weight has shape \(\), not",
    ),
    "a 0-d mean head": (_set("enc_mu.0.weight", torch.tensor(1.0)), r"enc_mu.0.weight has shape \(\), not"),
    "a 0-d bias": (_set("decoder.4.bias", torch.tensor(1.0)), r"decoder.4.bias has shape \(\), expected"),
    "z_dim 0": (_set("enc_mu.0.weight", torch.zeros(0, 128)), "z_dim 0: a MarioVAE has 1 to 1024 latents"),
    "z_dim 1025": (_set("enc_mu.0.weight", torch.zeros(1025, 128)), "z_dim 1025: a MarioVAE has 1 to"),
    "a sparse tensor": (
        lambda state: state.update({"enc_mu.0.weight": state["enc_mu.0.weight"].to_sparse()}),
        "tensor enc_mu.0.weight is a torch.sparse_coo tensor, not the dense weights",
    ),
    "a meta tensor": (
        _set("decoder.0.weight", torch.empty(256, 2, device="meta")),
        r"tensor decoder.0.weight is a meta tensor \(no data\)",
    ),
    "a NaN": (_set("decoder.0.weight", torch.full((256, 2), float("nan"))), "decoder.0.weight holds NaN"),
    "an infinity": (
        _set("enc_var.0.bias", torch.tensor([0, float("inf")])),
        "enc_var.0.bias holds NaN or inf",
    ),
    "beyond float32": (
        _set("enc_var.0.bias", torch.tensor([0, 1e300], dtype=torch.float64)),
        "enc_var.0.bias holds values beyond float32's range",
    ),
    "complex weights": (_set("encoder.0.bias", torch.zeros(512, dtype=torch.complex64)), "bias is complex64"),
    "integer weights": (_set("decoder.4.bias", torch.zeros(2156, dtype=torch.int64)), "bias is int64, not"),
}


@pytest.mark.parametrize("change, message", BAD_STATE_DICTS.values(), ids=BAD_STATE_DICTS.keys())
def test_state_dicts_that_do_not_fit_the_model_are_refused_naming_the_problem(
    tmp_path, capsys, change, message
):
    save_blog_state_dict(tmp_path / "model.pt")
    state = torch.load(tmp_path / "model.pt", weights_only=True)
    change(state)
    torch.save(state, tmp_path / "model.pt")
    with pytest.raises(CheckpointError, match=message):
        load_mariovae_state_dict(tmp_path / "model.pt")
    assert main(["vae", "import", str(tmp_path / "model.pt"), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and re.search(message, error)
    assert not (tmp_path / "out").exists()


def test_files_that_are_no_state_dict_are_refused(tmp_path):
    (tmp_path / "text.pt").write_text("not a torch file")
    torch.save([torch.zeros(2)], tmp_path / "list.pt")
    with pytest.raises(CheckpointError, match="is not a torch checkpoint"):
        load_mariovae_state_dict(tmp_path / "text.pt")
    with pytest.raises(CheckpointError, match="is not a state dict"):
        load_mariovae_state_dict(tmp_path / "list.pt")
    with pytest.raises(CheckpointError, match="does not exist"):
        load_mariovae_state_dict(tmp_path / "missing.pt")


def _deflated_torch_file(path: Path, record: str, record_bytes: int) -> None:
    """A torch file of one tensor whose record ``record`` is ``record_bytes`` zeros, deflated to a few MB.

    For the data record, the pickle's element count is patched to match: torch.load would inflate it all.
    """
    small = 0x010203  # an element count whose 4-byte pickle encoding is easy to find and replace
    torch.save({"encoder.0.weight": torch.zeros(small)}, path.with_suffix(".small"))
    with (
        zipfile.ZipFile(path.with_suffix(".small")) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for name in source.namelist():
            content = source.read(name)
            if name.endswith("/data.pkl") and record == "data/0":
                content = content.replace(
                    struct.pack("<ci", b"J", small), struct.pack("<ci", b"J", record_bytes // 4)
                )
            if not name.endswith(record):
                target.writestr(name, content)
        with target.open(f"{source.namelist()[0].split('/')[0]}/{record}", "w", force_zip64=True) as huge:
            zeros = bytes(1 << 20)
            for _ in range(record_bytes // len(zeros)):
                huge.write(zeros)


PEAK_MEMORY_GROWTH = """
import resource, sys
from gym_mario_latent.errors import CheckpointError
from gym_mario_latent.vae import load_mariovae_state_dict
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    load_mariovae_state_dict(sys.argv[1])
except CheckpointError as error:
    print(error)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)  # KiB on Linux
"""


def test_a_small_file_holding_a_huge_compressed_record_is_refused_before_it_is_inflated(tmp_path):
    _deflated_torch_file(tmp_path / "bomb.pt", "data/0", 1 << 28)
    assert (tmp_path / "bomb.pt").stat().st_size < 2 << 20  # 256 MiB of tensor data in about a MB
    result = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY_GROWTH, str(tmp_path / "bomb.pt")],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    error, grown_kib = result.stdout.splitlines()
    assert "record bomb/data/0 holds 268435456 bytes of tensor data" in error
    assert "a MarioVAE state dict of z_dim up to 1024 holds at most 24262496" in error
    assert int(grown_kib) < 128 << 10  # 2.6 MiB measured; torch.load: 257 MiB


def test_torch_files_larger_than_a_mariovae_state_dict_are_refused_before_loading(tmp_path):
    _deflated_torch_file(tmp_path / "extra.pt", ".data/extra", 2 << 20)
    other = r"209\d{4} bytes in records other than tensor data \(data/N\), up to extra/.data/extra"
    with pytest.raises(CheckpointError, match=other):
        load_mariovae_state_dict(tmp_path / "extra.pt")
    torch.save(
        {"encoder.0.weight": torch.zeros(10**7)}, tmp_path / "old.pt", _use_new_zipfile_serialization=False
    )
    with pytest.raises(CheckpointError, match=r"old.pt is 40000\d{3} bytes, more than a MarioVAE state dict"):
        load_mariovae_state_dict(tmp_path / "old.pt")


def test_the_largest_state_dict_accepted_imports_whole_in_float64(tmp_path):
    torch.manual_seed(0)
    largest = BlogLayout(z_dim=1024).double()
    torch.save(largest.state_dict(), tmp_path / "largest.pt")
    model = load_mariovae_state_dict(tmp_path / "largest.pt")
    assert model.z_dim == 1024
    torch.testing.assert_close(model.decoder[0].weight, largest.decoder[0].weight.float())


def test_the_blog_names_are_our_model_and_its_prior():
    model = VAEMario(z_dim=3)
    assert VAEMario is MarioVAE
    assert isinstance(model.p_z, Normal) and model.p_z.loc.tolist() == [0, 0, 0]
    assert model.p_z.scale.tolist() == [1, 1, 1]


def test_a_decoded_distribution_passed_as_a_level_says_to_take_its_argmax():
    model = load_pretrained()
    decoded = model.decode(torch.zeros(1, 2))
    hint = r"got a Categorical distribution .* call `\.probs\.argmax\(-1\)`"
    for use in (ids_to_text, test_level_from_int_tensor, test_level_from_decoded_tensor, model.encode):
        with pytest.raises(LevelFormatError, match=hint):
            use(decoded)


def test_level_from_z_plays_the_most_likely_level_of_the_latent():
    model = load_pretrained()
    z = torch.tensor([0.5, -1.0])
    most_likely = model.decode(z.reshape(1, 2)).probs.argmax(-1)[0]
    played = test_level_from_z(z, model)
    assert played == test_level_from_int_tensor(most_likely, max_time=30)
    assert played["level"] == json.dumps(most_likely.tolist())
    assert played["totalTimeGiven"] == 30  # MarioVAE's default for decoded levels


def test_level_from_decoded_tensor_takes_tile_ids_as_mariovae_passes_them():
    ids = load_pretrained().sample(1, generator=torch.Generator().manual_seed(3))
    from_ids = test_level_from_decoded_tensor(ids[0])
    assert from_ids == test_level_from_decoded_tensor(ids)  # a leading batch of one
    assert from_ids == test_level_from_decoded_tensor(ids_to_onehot(ids[0]))


@pytest.mark.parametrize("threads", [None, 2])
def test_vae_train_uses_one_torch_thread_unless_told_otherwise(tmp_path, threads):
    options = ["--threads", str(threads)] if threads else []
    out = tmp_path / "run"
    result = run_script("vae", "train", "--epochs", "1", "--quiet", "--out", str(out), *options)
    assert result.returncode == 0, result.stderr
    assert read_metadata(out)["metrics"]["torch_threads"] == (threads or 1)
