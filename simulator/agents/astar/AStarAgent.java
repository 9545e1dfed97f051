package agents.astar;

import agents.Agent;
import engine.Actions;
import engine.ForwardModel;
import engine.GameStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A* over action sequences in the style of Robin Baumgarten's Mario AI agent, budgeted in nodes.
 *
 * <p>Every node holds one of ten button combinations for {@link #TICKS_PER_NODE} ticks; its state is
 * computed with a copy of the game (the forward model). The cost to go is the time Mario would need to
 * run to a far finish from the node's position and speed, plus large penalties for losing a power-up
 * or dying. The agent replans every {@link #PLAN_AHEAD} ticks from the state its current plan
 * predicts, and each tick expands at most {@code nodeBudget} nodes, so the same level and settings
 * always give the same game, whatever the machine or its load.
 */
public final class AStarAgent implements Agent {
    /**
     * Default node budget per tick: enough for the searches the reference's 40 ms allow on hard
     * levels (VGLC 1-3, 2-1, 4-2, 5-3 need more than 400), small enough that a hopeless level
     * (searching at full budget for 666 ticks) costs well under a second on a warm JVM.
     */
    public static final int DEFAULT_NODE_BUDGET = 2000;
    /** Ticks each search node holds its action. */
    static final int TICKS_PER_NODE = 2;
    /** Ticks of the current plan played before the agent searches again, from where the plan leads. */
    private static final int PLAN_AHEAD = 2;
    /** The search is satisfied once its best plan reaches this many pixels ahead. */
    private static final float SEARCH_REACH = 176;
    /** A plan this much further right than the best one wins when the search falls short. */
    private static final float FURTHEST_MARGIN = 20;
    /** Weight of the ticks a plan has taken so far in a node's priority (its cost to go counts fully). */
    private static final float ELAPSED_WEIGHT = 0.90f;
    /**
     * The same weight for a persona that collects something: plain A*, so the plans that branch off
     * early (a jump for a coin, a stomp) are tried before the deep plans of the straight run.
     */
    private static final float PERSONA_ELAPSED_WEIGHT = 1;
    /** A node whose simulated cost to go exceeds its estimate by more than this goes back to the open set. */
    private static final double ESTIMATE_TOLERANCE = 0.1;
    /** Two states count as the same place within this many pixels each way, up to {@link #VISITED_TICKS} later. */
    private static final int VISITED_RADIUS = 1;
    private static final int VISITED_TICKS = 4;
    /** Plan used before the first search: run right. */
    private static final int INITIAL_PLAN_TICKS = 10;

    private final int nodeBudget;
    private final boolean takeFirstWin;
    private final Persona persona;
    private final float elapsedWeight;
    private long nodesExpanded;

    private final OpenSet open = new OpenSet();
    private final Map<Integer, List<int[]>> visited = new HashMap<>();
    private SearchNode best;
    private SearchNode furthest;
    private float searchStartX;
    private ArrayDeque<Integer> plan = new ArrayDeque<>();
    private int ticksBeforeReplanning;

    /**
     * An agent expanding at most {@code nodeBudget} search nodes per tick (at least 1).
     *
     * @param takeFirstWin end a search as soon as a node reaches the finish and follow it; without
     *     this the search spends its whole budget near the end of a level and, like the reference,
     *     may prefer a fast node short of the finish (which can then fall into a pit there)
     */
    public AStarAgent(int nodeBudget, boolean takeFirstWin) {
        this(nodeBudget, takeFirstWin, Persona.RUNNER);
    }

    /** An agent as above whose search prefers, after Mario's safety, what {@code persona} values. */
    public AStarAgent(int nodeBudget, boolean takeFirstWin, Persona persona) {
        if (nodeBudget < 1) {
            throw new IllegalArgumentException("node_budget must be at least 1, got " + nodeBudget);
        }
        this.nodeBudget = nodeBudget;
        this.takeFirstWin = takeFirstWin;
        this.persona = persona;
        this.elapsedWeight = persona.searchesWholeBudget() ? PERSONA_ELAPSED_WEIGHT : ELAPSED_WEIGHT;
    }

    @Override
    public long nodesExpanded() {
        return nodesExpanded;
    }

    @Override
    public int act(ForwardModel model) {
        ticksBeforeReplanning--;
        if (ticksBeforeReplanning <= 0 || plan.isEmpty()) {
            plan = extractPlan();
            int ahead = Math.min(PLAN_AHEAD, plan.size());
            ForwardModel predicted = model.copy();
            int i = 0;
            for (int action : plan) {
                if (i++ >= ahead) {
                    break;
                }
                predicted.advance(action);
            }
            startSearch(predicted.status() == GameStatus.LOSE ? model.copy() : predicted);
            ticksBeforeReplanning = ahead;
        }
        search();
        return plan.isEmpty() ? Actions.NONE : plan.removeFirst();
    }

    private void startSearch(ForwardModel model) {
        SearchNode root = new SearchNode(model, persona);
        open.clear();
        visited.clear();
        for (SearchNode child : root.children()) {
            enqueue(child);
        }
        searchStartX = model.marioX();
        best = root;
        furthest = root;
    }

    private void enqueue(SearchNode node) {
        open.add(node, node.remainingTime() + node.timeElapsed * elapsedWeight);
    }

    private void search() {
        SearchNode current = best;
        boolean currentGood = false;
        int expanded = 0;
        boolean wholeBudget = persona.searchesWholeBudget();
        while (!open.isEmpty() && (wholeBudget || best.marioX() - searchStartX < SEARCH_REACH || !currentGood)
                && expanded < nodeBudget) {
            current = open.poll();
            currentGood = false;
            float realRemaining = current.simulate();
            expanded++;
            if (takeFirstWin && !wholeBudget && current.model.status() == GameStatus.WIN) {
                // a plan that reaches the finish is taken at once: searching further cannot beat it
                best = current;
                break;
            }
            int x = (int) current.model.marioX();
            int y = (int) current.model.marioY();
            if (!current.inVisitedList && isVisited(x, y, current.timeElapsed)) {
                realRemaining += SearchNode.VISITED_PENALTY;
                current.inVisitedList = true;
                current.remaining = realRemaining;
                current.estimatedRemaining = realRemaining;
                enqueue(current);
            } else if (realRemaining - current.estimatedRemaining > ESTIMATE_TOLERANCE) {
                current.estimatedRemaining = realRemaining;
                enqueue(current);
            } else {
                currentGood = true;
                markVisited(x, y, current.timeElapsed);
                if (!wholeBudget || current.marioX() - searchStartX < SEARCH_REACH) {
                    for (SearchNode child : current.children()) {
                        enqueue(child);
                    }
                }
            }
            if (currentGood) {
                if (best.remainingTime() > current.remainingTime()) {
                    best = current;
                }
                if (current.isFurtherThan(furthest)) {
                    furthest = current;
                }
            }
        }
        nodesExpanded += expanded;
        if (current.marioX() - searchStartX < SEARCH_REACH && furthest.marioX() > best.marioX() + FURTHEST_MARGIN) {
            best = furthest;
        }
    }

    private ArrayDeque<Integer> extractPlan() {
        ArrayDeque<Integer> actions = new ArrayDeque<>();
        if (best == null) {
            for (int i = 0; i < INITIAL_PLAN_TICKS; i++) {
                actions.add(Actions.RIGHT | Actions.SPEED);
            }
            return actions;
        }
        for (SearchNode node = best; node.parent != null; node = node.parent) {
            for (int i = 0; i < node.repetitions; i++) {
                actions.addFirst(node.action);
            }
        }
        return actions;
    }

    private void markVisited(int x, int y, int t) {
        visited.computeIfAbsent(x, k -> new ArrayList<>()).add(new int[] {y, t});
    }

    /** Whether the search was within {@link #VISITED_RADIUS} of (x, y) up to {@link #VISITED_TICKS} before time t. */
    private boolean isVisited(int x, int y, int t) {
        for (int vx = x - VISITED_RADIUS; vx <= x + VISITED_RADIUS; vx++) {
            List<int[]> column = visited.get(vx);
            if (column == null) {
                continue;
            }
            for (int[] v : column) {
                if (Math.abs(v[0] - y) <= VISITED_RADIUS && t >= v[1] && t - v[1] <= VISITED_TICKS) {
                    return true;
                }
            }
        }
        return false;
    }
}
