package agents.astar;

import engine.Actions;
import engine.ForwardModel;
import engine.GameStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * One node of the A* search: an action held for a few ticks after its parent's state. The state is
 * simulated lazily, when the node is taken from the open set; until then its cost is an estimate.
 */
final class SearchNode {
    /** Penalty for reaching a place the search has already been at about the same time. */
    static final float VISITED_PENALTY = 1500;
    /**
     * Ticks one point of damage costs: more than any path could take, so a plan without damage always
     * wins; each step deeper into the plan costs {@link #DAMAGE_PENALTY_DECREASE_PER_STEP} less, so
     * damage the plan puts off is preferred to damage now.
     */
    private static final int DAMAGE_PENALTY = 1_000_000;
    private static final int DAMAGE_PENALTY_DECREASE_PER_STEP = 100;

    /** Button combinations tried from every node, in a fixed order (it breaks ties). */
    private static final int[] CANDIDATE_ACTIONS = {
        Actions.JUMP, Actions.JUMP | Actions.SPEED,
        Actions.RIGHT | Actions.SPEED, Actions.RIGHT | Actions.JUMP | Actions.SPEED,
        Actions.RIGHT, Actions.RIGHT | Actions.JUMP,
        Actions.LEFT, Actions.LEFT | Actions.JUMP,
        Actions.LEFT | Actions.SPEED, Actions.LEFT | Actions.JUMP | Actions.SPEED,
    };

    final SearchNode parent;
    final int action;
    final int repetitions;
    final int depth;
    final int timeElapsed;
    /** What the search prefers besides progress. */
    final Persona persona;
    /**
     * The persona's score in this node's game, and the ticks of cost its gains since the root take
     * off (both the parent's until the node is simulated; both stay 0 for the runner).
     */
    int points;
    float bonus;
    float estimatedRemaining;
    float remaining;
    boolean simulated;
    /** The game after this node's action (null until {@link #simulate()}); the search owns it. */
    ForwardModel model;
    boolean hurt;
    boolean inVisitedList;

    SearchNode(SearchNode parent, int action, int repetitions) {
        this.parent = parent;
        this.action = action;
        this.repetitions = repetitions;
        this.depth = parent.depth + 1;
        this.timeElapsed = parent.timeElapsed + repetitions;
        this.persona = parent.persona;
        this.points = parent.points;
        this.bonus = parent.bonus;
        this.estimatedRemaining = parent.estimateChild(action, repetitions);
    }

    /** A root node on a game {@code model} that the search owns, searching as {@code persona}. */
    SearchNode(ForwardModel model, Persona persona) {
        this.parent = null;
        this.action = Actions.NONE;
        this.repetitions = 0;
        this.depth = 0;
        this.timeElapsed = 0;
        this.model = model;
        this.persona = persona;
        this.points = persona.points(model);
        this.estimatedRemaining = Heuristic.ticksToFinish(model.marioX(), 0);
    }

    /** The simulated cost to go if known, else the estimate. */
    float remainingTime() {
        return simulated ? remaining : estimatedRemaining;
    }

    /** Whether this node gained more points than {@code other}, or as many and got further right. */
    boolean isFurtherThan(SearchNode other) {
        return points != other.points ? points > other.points : marioX() > other.marioX();
    }

    float marioX() {
        return model.marioX();
    }

    private float estimateChild(int childAction, int ticks) {
        float[] distanceAndSpeed = Heuristic.bestForwardMove(model.marioSpeedX(), childAction, ticks);
        return Heuristic.ticksToFinish(model.marioX() + distanceAndSpeed[0], distanceAndSpeed[1]) - bonus;
    }

    /** Plays this node's action on a copy of the parent state; returns the simulated cost to go. */
    float simulate() {
        model = parent.model.copy();
        for (int i = 0; i < repetitions; i++) {
            model.advance(action);
        }
        int damage = Heuristic.damage(parent.model, model);
        points = persona.points(model);
        bonus = parent.bonus + persona.valueOf(points - parent.points, depth);
        // a persona weighs a won game as if Mario ran on at top speed, so no plan short of the flag
        // beats one through it that gained as much
        float speed = persona.searchesWholeBudget() && model.status() == GameStatus.WIN ? Heuristic.MAX_SPEED
            : model.marioSpeedX();
        remaining = Heuristic.ticksToFinish(model.marioX(), speed)
            + damage * (DAMAGE_PENALTY - DAMAGE_PENALTY_DECREASE_PER_STEP * depth) - bonus;
        simulated = true;
        if (inVisitedList) {
            remaining += VISITED_PENALTY;
        }
        hurt = damage != 0;
        return remaining;
    }

    boolean isLeaf() {
        return model != null && model.status() != GameStatus.RUNNING;
    }

    private boolean canJumpHigher(boolean checkParent) {
        if (parent != null && checkParent && parent.canJumpHigher(false)) {
            return true;
        }
        return model.marioCanJumpHigher();
    }

    /** Children for every action worth trying from here (none if the game ended). */
    List<SearchNode> children() {
        List<SearchNode> children = new ArrayList<>(CANDIDATE_ACTIONS.length);
        if (isLeaf()) {
            return children;
        }
        boolean jump = canJumpHigher(true);
        for (int candidate : CANDIDATE_ACTIONS) {
            if (jump || !Actions.pressed(candidate, Actions.JUMP)) {
                children.add(new SearchNode(this, candidate, AStarAgent.TICKS_PER_NODE));
            }
        }
        return children;
    }
}
