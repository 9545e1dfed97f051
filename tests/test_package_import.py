"""What ``import gym_mario_latent`` does to the process: registers the IDs, silences one wrong warning."""

import subprocess
import sys

# Gymnasium calls v0 "out of date" when v3 exists; in our IDs v is the ROM mode, so the package
# silences that warning for its own IDs, and only for them. Run in a fresh interpreter that turns
# every DeprecationWarning into an error (pytest's own filters would hide the package's).
PROBE = """
import warnings

import gymnasium as gym

warnings.simplefilter("error", DeprecationWarning)
import gym_mario_latent

for env_id in ("SuperMarioBros-v0", "SuperMarioBrosNoFrameskip-1-1-v1", "SuperMarioBros2-4-4-v0",
               "SuperMarioBrosRandomStages-v2", "SuperMarioBros2RandomStagesNoFrameskip-v0"):
    gym.make(env_id).close()
gym.register("OtherGame-v0", entry_point="gymnasium.envs.classic_control:CartPoleEnv")
gym.register("OtherGame-v1", entry_point="gymnasium.envs.classic_control:CartPoleEnv")
try:
    gym.make("OtherGame-v0")
except DeprecationWarning as warning:
    print("other IDs still warned:", "out of date" in str(warning))
"""


def test_only_our_ids_lose_the_out_of_date_warning(smb_rom_path, lost_levels_rom_path):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "other IDs still warned: True"


# What an RLlib env runner or any fresh worker does: name the module in the ID, import nothing first.
MODULE_QUALIFIED = """
import gymnasium as gym

for env_id in ("gym_mario_latent:SuperMarioBros-1-1-v0", "gym_mario_latent:MarioLatent-v0"):
    env = gym.make(env_id)
    print(env.spec.id, type(env.unwrapped).__name__)
    env.close()
"""


def test_module_qualified_ids_work_in_a_fresh_interpreter(smb_rom_path):
    result = subprocess.run(
        [sys.executable, "-c", MODULE_QUALIFIED], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == [
        "SuperMarioBros-1-1-v0 SuperMarioBrosEnv",
        "MarioLatent-v0 MarioLatentEnv",
    ]
