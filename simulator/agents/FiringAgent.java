package agents;

import engine.Actions;
import engine.World;

/** Probe agent for tests: stands still and presses SPEED every other tick (fire Mario shoots). */
public final class FiringAgent implements Agent {
    @Override
    public int act(World world) {
        return world.tick % 2 == 0 ? Actions.SPEED : Actions.NONE;
    }
}
