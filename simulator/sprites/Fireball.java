package sprites;

import engine.Sprite;
import engine.SpriteKind;

/** Fire Mario's fireball: bounces along the ground and vanishes when it hits a wall or an enemy. */
public final class Fireball extends Sprite {
    private static final float SPEED = 8f;

    public Fireball(float x, float y, int facing) {
        super(SpriteKind.FIREBALL, x, y);
        this.facing = facing;
        this.ya = 4;
        this.width = 4;
        this.height = 8;
    }

    @Override
    public void update() {
        if (!alive) {
            return;
        }
        faceAlongSpeed();
        xa = facing * SPEED;
        world.checkFireballCollide(this);
        if (!move(xa, 0)) {
            world.removeSprite(this);
            return;
        }
        onGround = false;
        move(0, ya);
        if (onGround) {
            ya = -10;
        }
        slowDown(0.95f, 1.5f);
    }
}
