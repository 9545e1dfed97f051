package sprites;

import engine.Sprite;
import engine.SpriteKind;

/** A fire flower: emerges from its block and stays; touching it gives Mario fire. */
public final class FireFlower extends Sprite {
    private static final int EMERGE_TICKS = 9;

    private int life;

    public FireFlower(float x, float y) {
        super(SpriteKind.FIRE_FLOWER, x, y);
        this.width = 4;
        this.height = 12;
    }

    @Override
    public void update() {
        if (!alive) {
            return;
        }
        life++;
        if (life < EMERGE_TICKS) {
            y--;
        }
    }

    @Override
    public void collideCheck() {
        if (!alive || !touches(world.mario, 16)) {
            return;
        }
        world.mario.getFlower();
        world.removeSprite(this);
    }
}
