package agents;

import engine.Actions;
import engine.ForwardModel;

/** Holds RIGHT and SPEED: runs right without ever jumping. */
public final class ForwardAgent implements Agent {
    @Override
    public int act(ForwardModel model) {
        return Actions.RIGHT | Actions.SPEED;
    }
}
