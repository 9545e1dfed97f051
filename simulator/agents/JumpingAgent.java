package agents;

import engine.Actions;
import engine.ForwardModel;

/**
 * Probe agents for physics tests: hold a direction and jump as high as possible, again and again.
 *
 * <p>"jump" jumps on the spot; "walk-jump" and "run-jump" hold RIGHT (and SPEED) and take off only
 * once Mario has nearly reached his top walking or running speed, so their jumps are the longest.
 */
public final class JumpingAgent implements Agent {
    private final int held;
    private final float takeOffSpeed;

    private JumpingAgent(int held, float takeOffSpeed) {
        this.held = held;
        this.takeOffSpeed = takeOffSpeed;
    }

    /** Jumps straight up whenever possible. */
    public static JumpingAgent onTheSpot() {
        return new JumpingAgent(Actions.NONE, 0);
    }

    /** Walks right and jumps at 90 % of top walking speed. */
    public static JumpingAgent walking() {
        return new JumpingAgent(Actions.RIGHT, 4.3f);
    }

    /** Runs right and jumps at 90 % of top running speed. */
    public static JumpingAgent running() {
        return new JumpingAgent(Actions.RIGHT | Actions.SPEED, 8.7f);
    }

    @Override
    public int act(ForwardModel model) {
        boolean airborne = !model.marioOnGround();
        boolean fastEnough = Math.abs(model.marioSpeedX()) >= takeOffSpeed;
        boolean jump = model.marioJumpTicksLeft() > 0 || (model.marioMayJump() && (fastEnough || airborne));
        return held | (jump ? Actions.JUMP : 0);
    }
}
