package agents;

import agents.astar.AStarAgent;

/** Creates agents by name. */
public final class Agents {
    /** Names accepted by {@link #create}. */
    public static final String NAMES = "astar, astar-reference, forward, noop, jump, walk-jump, run-jump, fire";

    private Agents() {
    }

    /** The agent called {@code name}; {@code nodeBudget} applies to searching agents. */
    public static Agent create(String name, int nodeBudget) {
        switch (name) {
            case "astar": return new AStarAgent(nodeBudget, true);
            case "astar-reference": return new AStarAgent(nodeBudget, false);
            case "forward": return new ForwardAgent();
            case "noop": return new NoopAgent();
            case "jump": return JumpingAgent.onTheSpot();
            case "walk-jump": return JumpingAgent.walking();
            case "run-jump": return JumpingAgent.running();
            case "fire": return new FiringAgent();
            default:
                throw new IllegalArgumentException("unknown agent '" + name + "' (expected " + NAMES + ")");
        }
    }
}
