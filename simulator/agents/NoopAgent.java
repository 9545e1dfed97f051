package agents;

import engine.Actions;
import engine.World;

/** Presses nothing. */
public final class NoopAgent implements Agent {
    @Override
    public int act(World world) {
        return Actions.NONE;
    }
}
