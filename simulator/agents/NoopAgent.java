package agents;

import engine.Actions;
import engine.ForwardModel;

/** Presses nothing. */
public final class NoopAgent implements Agent {
    @Override
    public int act(ForwardModel model) {
        return Actions.NONE;
    }
}
