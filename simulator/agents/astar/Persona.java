package agents.astar;

import engine.ForwardModel;
import java.util.function.ToIntFunction;

/**
 * What an A* agent's search prefers once Mario is safe: progress alone, enemies killed, or coins
 * collected. The three play styles of MFEDRL's Runner, Killer and Collector agents (Baumgarten's A*
 * with the choice of node turned towards kills or coins), as weights in our search's own cost.
 *
 * <p>A node's cost is the time Mario would still need to reach a far finish, in ticks, plus the damage
 * penalties (a million ticks per point of damage, so staying alive always comes first); a persona
 * subtracts {@link #ticksPerPoint} for each kill or coin its plan has gained since the search began. A
 * kill is worth more than any detour the search can see, so the killer turns back or waits for an
 * enemy; a coin is worth a jump or a short way back. A persona with something to gain spends the whole
 * node budget on every search (the runner stops once its plan reaches far enough ahead), so it finds
 * the plans off the straight run; the budget still bounds its work, so its games stay deterministic.
 */
public enum Persona {
    /** Progress only: Baumgarten's agent, as {@code astar}. */
    RUNNER(0, model -> 0),
    /** Prefers plans that kill enemies (stomps, shells, fireballs, bumps from below). */
    KILLER(400, ForwardModel::kills),
    /** Prefers plans that collect coins (coin tiles, coin blocks). */
    COLLECTOR(150, ForwardModel::coins);

    /** Search depth (nodes) at which a point is worth half as much as at the root. */
    private static final float HALF_VALUE_DEPTH = 10;

    /** Ticks of progress one point (a kill, a coin) is worth to the search. */
    final float ticksPerPoint;
    private final ToIntFunction<ForwardModel> points;

    Persona(float ticksPerPoint, ToIntFunction<ForwardModel> points) {
        this.ticksPerPoint = ticksPerPoint;
        this.points = points;
    }

    /** The game's score in what this persona collects (always 0 for the runner). */
    int points(ForwardModel model) {
        return points.applyAsInt(model);
    }

    /**
     * Ticks of cost taken off for {@code gained} points at search depth {@code depth}: the full
     * {@link #ticksPerPoint} at the root, half of it {@link #HALF_VALUE_DEPTH} nodes deeper, and so
     * on, so a plan that takes a coin now beats one that puts it off (which would put it off again).
     */
    float valueOf(int gained, int depth) {
        return gained == 0 ? 0 : gained * ticksPerPoint * HALF_VALUE_DEPTH / (HALF_VALUE_DEPTH + depth);
    }

    /** Whether every search spends the whole node budget instead of stopping at the first far plan. */
    boolean searchesWholeBudget() {
        return ticksPerPoint > 0;
    }
}
