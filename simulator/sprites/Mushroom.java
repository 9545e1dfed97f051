package sprites;

import engine.Sprite;
import engine.SpriteKind;

/**
 * A mushroom (grows Mario) or a 1-up mushroom: emerges from its block, then walks, turning at walls
 * and falling off ledges.
 */
public final class Mushroom extends Sprite {
    private static final float WALK_SPEED = 1.75f;
    private static final int EMERGE_TICKS = 9;

    private int life;

    public Mushroom(SpriteKind kind, float x, float y) {
        super(kind, x, y);
        this.width = 4;
        this.height = 12;
    }

    @Override
    public void update() {
        if (!alive) {
            return;
        }
        if (life < EMERGE_TICKS) {
            y--;
            life++;
            return;
        }
        faceAlongSpeed();
        walkThenFall(WALK_SPEED);
        slowDown(0.85f, 2);
    }

    @Override
    public void collideCheck() {
        if (!alive || !touches(world.mario, 16)) {
            return;
        }
        if (kind == SpriteKind.LIFE_MUSHROOM) {
            world.mario.collectLife();
        } else {
            world.mario.getMushroom();
        }
        world.removeSprite(this);
    }

    @Override
    public void bumpCheck(int xTile, int yTile) {
        hopIfBlockBumped(xTile, yTile);
    }
}
