package agents.astar;

import engine.Actions;
import engine.GameStatus;
import engine.World;
import sprites.Mario;

/**
 * Cost estimates of the A* search, in ticks: how long Mario needs to run to a far-away finish, and
 * how much damage a step did. StrictMath keeps the numbers bit-identical on every machine.
 */
final class Heuristic {
    /** Mario's top running speed: acceleration / (1 - inertia). */
    static final float MAX_SPEED = (float) (1.2 / 0.11);
    /** Mario's run acceleration and inertia, in double precision for the closed form below. */
    private static final double RUN_ACCELERATION = 1.2;
    private static final double INERTIA = 0.89;
    /** A finish far enough away that every reachable position is before it. */
    private static final float FAR_FINISH = 100000;
    /** Look-ahead of the running-distance bound, in ticks. */
    private static final int HORIZON = 1000;
    private static final double HORIZON_DECAY = StrictMath.pow(INERTIA, HORIZON + 1);

    private Heuristic() {
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
        float acceleration = Actions.pressed(action, Actions.SPEED) ? Mario.RUN_ACCELERATION
            : Mario.WALK_ACCELERATION;
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
            speed *= Mario.INERTIA;
        }
        return new float[] {distance, speed};
    }

    /** Damage between two states: 1 per lost power-up, 5 for falling into a pit, 2 for other deaths. */
    static int damage(World before, World after) {
        int damage = 0;
        if (before.mario.mode().ordinal() > after.mario.mode().ordinal()) {
            damage += 1;
        }
        if (after.status == GameStatus.LOSE) {
            damage += after.mario.y > after.level.heightPixels() - 20 ? 5 : 2;
        }
        return damage;
    }
}
