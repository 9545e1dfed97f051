"""Action-space wrappers: nes-py's JoypadSpace, also under the name the original README used."""

from nes_py import wrappers

from gym_mario_latent.actions import check_action


class JoypadSpace(wrappers.JoypadSpace):
    """nes-py's JoypadSpace (action ``i`` presses the buttons of entry ``i`` of the action list), with
    actions outside the list refused by a ``ValueError`` that names the valid range."""

    def step(self, action: int):
        return super().step(check_action(action, self.action_space))

    def dump_state(self):
        """The wrapped env's snapshot (``dump_state`` of the env inside, through any other wrappers)."""
        return self.env.get_wrapper_attr("dump_state")()

    def load_state(self, snapshot) -> None:
        """Return the wrapped env to ``snapshot`` (see ``dump_state``)."""
        self.env.get_wrapper_attr("load_state")(snapshot)


# The name gym-super-mario-bros' README used (from nes-py 1.x); same class.
BinarySpaceToDiscreteSpaceEnv = JoypadSpace

__all__ = ["BinarySpaceToDiscreteSpaceEnv", "JoypadSpace"]
