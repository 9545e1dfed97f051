package agents;

import engine.World;

/** Chooses Mario's buttons each tick. Agents read the game; they never change it. */
public interface Agent {
    /** Buttons (a mask of {@link engine.Actions} bits) for the next tick of {@code world}. */
    int act(World world);

    /** Forward-model nodes this agent has expanded so far (0 for agents that do not search). */
    default long nodesExpanded() {
        return 0;
    }
}
