package sprites;

import engine.SpriteKind;

/**
 * A mushroom (grows Mario) or a 1-up mushroom: emerges from its block, then walks, turning at walls
 * and falling off ledges.
 */
public final class Mushroom extends PowerUp {
    private static final float WALK_SPEED = 1.75f;

    public Mushroom(SpriteKind kind, float x, float y) {
        super(kind, x, y);
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
    protected void giveTo(Mario mario) {
        if (kind == SpriteKind.LIFE_MUSHROOM) {
            mario.collectLife();
        } else {
            mario.getMushroom();
        }
    }

    @Override
    public void bumpCheck(int xTile, int yTile) {
        hopIfBlockBumped(xTile, yTile, world.mario());
    }
}
