package agents;

import engine.Actions;
import engine.World;

/** Holds RIGHT and SPEED: runs right without ever jumping. */
public final class ForwardAgent implements Agent {
    @Override
    public int act(World world) {
        return Actions.RIGHT | Actions.SPEED;
    }
}
