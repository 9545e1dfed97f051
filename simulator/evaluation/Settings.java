package evaluation;

import agents.Agent;
import agents.Agents;
import agents.astar.AStarAgent;
import engine.MarioMode;

/** How to play one level: agent, game-time limit, node budget, start mode, stall limit, trace. */
public final class Settings {
    /** Longest accepted game-time limit in seconds. */
    public static final double MAX_TIME_LIMIT = 3600;
    /** Shortest accepted game-time limit in seconds: one tick (a shorter one would round to 0 ms, no limit). */
    public static final double MIN_TIME_LIMIT = engine.World.TICK_MS / 1000.0;
    /** Longest accepted stall limit in seconds. */
    public static final double MAX_STALL_LIMIT = MAX_TIME_LIMIT;
    /** Largest accepted node budget per tick (a search keeps every node's game copy in memory). */
    public static final int MAX_NODE_BUDGET = 100_000;

    public String agent = "astar";
    public double timeLimitSeconds = 20;
    public int nodeBudget = AStarAgent.DEFAULT_NODE_BUDGET;
    public MarioMode startMode = MarioMode.SMALL;
    public boolean trace;
    /**
     * Game seconds without Mario getting further right after which the game ends as a timeout
     * (0: never). A stuck agent would only burn its node budget until the time limit.
     */
    public double stallLimitSeconds = 6;

    /** Game seconds a person gets by default (the agents' 20 s is too short to play by hand). */
    public static final double HUMAN_TIME_LIMIT = 300;

    /**
     * Makes these the settings of a person at the keyboard: agent "human", {@link #HUMAN_TIME_LIMIT}
     * and no stall limit (a person may stand still to think).
     *
     * @param keepTimeLimit keep the time limit already set (the caller chose it)
     * @param keepStallLimit keep the stall limit already set
     */
    public void playByHand(boolean keepTimeLimit, boolean keepStallLimit) {
        agent = "human";
        if (!keepTimeLimit) {
            timeLimitSeconds = HUMAN_TIME_LIMIT;
        }
        if (!keepStallLimit) {
            stallLimitSeconds = 0;
        }
    }

    /** Checks the agent exists and the numbers are in range; throws {@link IllegalArgumentException}. */
    public void validate() {
        validateNumbers();
        Agents.create(agent, nodeBudget);
    }

    /** Checks the time limit, stall limit and node budget are in range, naming the field otherwise. */
    public void validateNumbers() {
        if (!(stallLimitSeconds >= 0) || stallLimitSeconds > MAX_STALL_LIMIT) {
            throw new IllegalArgumentException("stall_limit must be >= 0 and <= " + (int) MAX_STALL_LIMIT
                + " game seconds (0: off), got " + stallLimitSeconds);
        }
        if (!(timeLimitSeconds >= MIN_TIME_LIMIT) || timeLimitSeconds > MAX_TIME_LIMIT) {
            throw new IllegalArgumentException("time_limit must be at least one tick (" + MIN_TIME_LIMIT
                + " game seconds) and at most " + (int) MAX_TIME_LIMIT + " game seconds, got " + timeLimitSeconds);
        }
        if (nodeBudget < 1 || nodeBudget > MAX_NODE_BUDGET) {
            throw new IllegalArgumentException("node_budget must be between 1 and " + MAX_NODE_BUDGET + ", got "
                + nodeBudget);
        }
    }

    /** The stall limit in ticks (0: off). */
    public int stallLimitTicks() {
        return (int) Math.ceil(stallLimitSeconds * 1000 / engine.World.TICK_MS);
    }

    /**
     * The game's timer in ms. The reference's idle first tick counts against it and the tick on which it
     * runs out is not played; at least two ticks, so that even a one-tick limit asks the agent once
     * (any longer limit is unchanged).
     */
    public int timeLimitMs() {
        return Math.max((int) Math.round(timeLimitSeconds * 1000), 2 * engine.World.TICK_MS);
    }

    public Agent newAgent() {
        return Agents.create(agent, nodeBudget);
    }
}
