package sprites;

import engine.SpriteKind;

/** A fire flower: emerges from its block and stays; touching it gives Mario fire. */
public final class FireFlower extends PowerUp {
    public FireFlower(float x, float y) {
        super(SpriteKind.FIRE_FLOWER, x, y);
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
    protected void giveTo(Mario mario) {
        mario.getFlower();
    }
}
