package sprites;

import engine.Sprite;
import engine.SpriteKind;
import engine.Tile;

/**
 * A koopa shell: rests until kicked or stomped, then slides fast, bouncing off walls, breaking bricks
 * and bumping blocks it hits, killing every enemy it touches and hurting Mario.
 */
public final class Shell extends Sprite {
    private static final float SLIDE_SPEED = 11f;

    public Shell(float x, float y, int templateId) {
        super(SpriteKind.SHELL, x, y);
        this.width = 4;
        this.height = 12;
        this.facing = 0;
        this.ya = -5;
        this.templateId = templateId;
    }

    public boolean isMoving() {
        return facing != 0;
    }

    @Override
    public void update() {
        if (!alive) {
            return;
        }
        faceAlongSpeed();
        if (facing != 0) {
            world.checkShellCollide(this);
        }
        walkThenFall(SLIDE_SPEED);
        slowDown(0.85f, 2);
    }

    @Override
    protected boolean isBlocking(float px, float py, float xa, float ya) {
        boolean blocking = super.isBlocking(px, py, xa, ya);
        if (blocking && ya == 0 && xa != 0) {
            world.bump((int) (px / Tile.SIZE), (int) (py / Tile.SIZE), true);
        }
        return blocking;
    }

    @Override
    public void collideCheck() {
        if (!alive || !touches(world.mario(), CONTACT_REACH)) {
            return;
        }
        Mario mario = world.mario();
        if (mario.landsOn(this)) {
            mario.stomp(this);
            if (facing != 0) {
                xa = 0;
                facing = 0;
            } else {
                facing = mario.facing;
            }
        } else if (facing != 0) {
            mario.getHurt();
        } else {
            mario.kick();
            facing = mario.facing;
        }
    }

    @Override
    public boolean fireballCollideCheck(Sprite fireball) {
        // a sliding shell swallows fireballs; a resting one dies from them
        return isMoving() ? hitBy(fireball) : dieIfHitBy(fireball, SpriteKind.FIRE);
    }

    @Override
    public void bumpCheck(int xTile, int yTile) {
        hopIfBlockBumped(xTile, yTile, world.mario());
    }

    @Override
    public boolean shellCollideCheck(Sprite shell) {
        if (!dieIfHitBy(shell, SpriteKind.SHELL_HIT)) {
            return false;
        }
        world.removeSprite(shell); // two shells that meet both die
        return true;
    }
}
