package sprites;

import engine.Sprite;
import engine.SpriteKind;

/**
 * A piranha plant in a pipe: rises 20 pixels, waits, sinks back, and rises again only while Mario
 * is not standing right next to the pipe. It cannot be stomped; fireballs and shells kill it.
 */
public final class PiranhaPlant extends Enemy {
    private static final int RISE = 20;
    private static final int WAIT_TICKS = 40;
    private static final int MARIO_CLEARANCE = 24;

    private final float yStart;
    private int waitTime;

    public PiranhaPlant(float x, float y) {
        super(SpriteKind.PIRANHA_PLANT, x, y, 0);
        this.winged = false;
        this.fireproof = false;
        this.width = 2;
        this.yStart = y;
        this.ya = -1;
    }

    @Override
    protected boolean stompable() {
        return false;
    }

    @Override
    public void update() {
        if (!alive) {
            return;
        }
        if (ya > 0) {
            if (y >= yStart) {
                y = yStart;
                int marioDistance = (int) Math.abs(world.mario().x - x);
                waitTime++;
                if (waitTime > WAIT_TICKS && marioDistance > MARIO_CLEARANCE) {
                    waitTime = 0;
                    ya = -1;
                }
            }
        } else if (ya < 0 && yStart - y > RISE) {
            y = yStart - RISE;
            waitTime++;
            if (waitTime > WAIT_TICKS) {
                waitTime = 0;
                ya = 1;
            }
        }
        y += ya;
    }
}
