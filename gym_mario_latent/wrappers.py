"""Action-space wrappers: nes-py's JoypadSpace, also under the name the original README used."""

from nes_py.wrappers import JoypadSpace

# The name gym-super-mario-bros' README used (from nes-py 1.x); same class.
BinarySpaceToDiscreteSpaceEnv = JoypadSpace

__all__ = ["BinarySpaceToDiscreteSpaceEnv", "JoypadSpace"]
