package agents;

import engine.ForwardModel;

/**
 * Chooses Mario's buttons each tick. An agent sees the game only through a {@link ForwardModel}:
 * each tick it gets a fresh copy of the game, which it may read and advance as it likes.
 */
public interface Agent {
    /** Buttons (a mask of {@link engine.Actions} bits) for the next tick of the game {@code model} copies. */
    int act(ForwardModel model);

    /** Forward-model nodes this agent has expanded so far (0 for agents that do not search). */
    default long nodesExpanded() {
        return 0;
    }
}
