"""The blog post's example on gym-mario-latent: decode random latent codes with the pretrained VAE,
join the segments into one level and hand it to the simulator.

By default the A* agent plays it headless and the telemetry is printed; ``--play`` opens a window
to play it yourself (arrows move, ``s`` jumps, ``a`` runs), as in the post.

    .venv/bin/python examples/blog_example.py [--levels 5] [--seed 0] [--play]
"""

import argparse

import torch

from gym_mario_latent.simulator_bridge import test_level_from_int_tensor
from gym_mario_latent.vae import load_pretrained

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--levels", type=int, default=5, help="segments to decode and join")
parser.add_argument("--seed", type=int, default=0, help="seed of the random latent codes")
parser.add_argument("--play", action="store_true", help="open a window and play the level yourself")
args = parser.parse_args()

# The pretrained categorical VAE shipped with the package (z_dim 2 by default).
model = load_pretrained()
torch.manual_seed(args.seed)

# Random latent codes, decoded to p(x|z): a Categorical whose batch shape is (levels, rows, columns)
# with the tile axis last, so the most likely tile of each cell is the argmax over the LAST axis
# (the post's `argmax(dim=1)` is for a one-hot layout with tiles on axis 1).
random_zs = torch.randn((args.levels, model.z_dim))
with torch.no_grad():
    p_x_given_z = model.decode(random_zs)
levels = p_x_given_z.probs.argmax(dim=-1)  # (levels, 14, 14) tile ids

# Side by side: one level of 14 rows and 14 × levels columns.
one_large_level = torch.hstack(list(levels))

telemetry = test_level_from_int_tensor(one_large_level, human_player=args.play, visualize=args.play)
print({key: value for key, value in telemetry.items() if key != "level"})
