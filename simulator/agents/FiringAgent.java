package agents;

import engine.Actions;
import engine.ForwardModel;

/** Probe agent for tests: stands still and presses SPEED every other tick (fire Mario shoots). */
public final class FiringAgent implements Agent {
    @Override
    public int act(ForwardModel model) {
        return model.tick() % 2 == 0 ? Actions.SPEED : Actions.NONE;
    }
}
