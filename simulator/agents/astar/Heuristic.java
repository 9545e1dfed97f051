package agents.astar;

import engine.Actions;
import engine.ForwardModel;
import engine.GameStatus;

/**
 * Cost estimates of the A* search, in ticks: how long Mario needs to run to a far-away finish, and
 * how much damage a step did. StrictMath keeps the numbers bit-identical on every machine.
 */
final class Heuristic {
    /** Mario's run acceleration and inertia as the decimals they are written as, for the closed form below. */
    private static final double RUN_ACCELERATION = asWritten(ForwardModel.MARIO_RUN_ACCELERATION);
    private static final double INERTIA = asWritten(ForwardModel.INERTIA);
    /** Mario's top running speed: acceleration / (1 - inertia). */
    static final float MAX_SPEED = (float) (RUN_ACCELERATION / (1 - INERTIA));
    /** Damage of losing a power-up, of falling into a pit, and of dying otherwise. */
    private static final int HURT_DAMAGE = 1;
    private static final int PIT_DAMAGE = 5;
    private static final int DEATH_DAMAGE = 2;
    /** A death with Mario's feet within this many pixels of the level's bottom edge is a fall into a pit. */
    private static final int PIT_DEPTH = 20;
    /** A finish far enough away that every reachable position is before it. */
    private static final float FAR_FINISH = 100000;
    /** Look-ahead of the running-distance bound, in ticks. */
    private static final int HORIZON = 1000;
    private static final double HORIZON_DECAY = StrictMath.pow(INERTIA, HORIZON + 1);

    private Heuristic() {
    }

    /** The decimal number a float constant was written as (1.2f: 1.2), in double precision. */
    private static double asWritten(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    /**
     * Distance Mario covers in {@code ticks} ticks holding RIGHT and SPEED from speed {@code speed}.
     *
     * <p>Closed form of summing speeds v_k with v_{k+1} = (v_k + a) * i, where a is the run
     * acceleration and i the inertia.
     */
    static float runningDistance(float speed, int ticks) {
        double decay = ticks == HORIZON ? HORIZON_DECAY : StrictMath.pow(INERTIA, ticks + 1);
        double loss = 1 - INERTIA;
        double limit = RUN_ACCELERATION / (loss * loss);
        return (float) (limit * decay - speed / loss * decay + RUN_ACCELERATION / loss * ticks - limit * INERTIA
            + speed / loss);
    }

    /** Ticks to reach the far finish from {@code x} at speed {@code speed}, at top speed. */
    static float ticksToFinish(float x, float speed) {
        return (FAR_FINISH - (runningDistance(speed, HORIZON) + x)) / MAX_SPEED - HORIZON;
    }

    /** Best-case {distance, final speed} of holding {@code action} for {@code ticks} ticks on flat ground. */
    static float[] bestForwardMove(float speed, int action, int ticks) {
        float distance = 0;
        float acceleration = Actions.pressed(action, Actions.SPEED) ? ForwardModel.MARIO_RUN_ACCELERATION
            : ForwardModel.MARIO_WALK_ACCELERATION;
        int dir = 0;
        if (Actions.pressed(action, Actions.LEFT)) {
            dir = -1;
        }
        if (Actions.pressed(action, Actions.RIGHT)) {
            dir = 1;
        }
        for (int i = 0; i < ticks; i++) {
            speed += acceleration * dir;
            distance += speed;
            speed *= ForwardModel.INERTIA;
        }
        return new float[] {distance, speed};
    }

    /** Damage between two states: a lost power-up, and a death (worse in a pit). */
    static int damage(ForwardModel before, ForwardModel after) {
        int damage = 0;
        if (before.marioMode().ordinal() > after.marioMode().ordinal()) {
            damage += HURT_DAMAGE;
        }
        if (after.status() == GameStatus.LOSE) {
            damage += after.marioY() > after.levelHeightPixels() - PIT_DEPTH ? PIT_DAMAGE : DEATH_DAMAGE;
        }
        return damage;
    }
}
