package sprites;

import engine.Sprite;
import engine.SpriteKind;

/** A bullet bill: flies straight at constant speed through everything; stompable, fireproof. */
public final class BulletBill extends Sprite {
    private static final float SPEED = 4f;

    public BulletBill(float x, float y, int dir) {
        super(SpriteKind.BULLET_BILL, x, y);
        this.width = 4;
        this.height = 12;
        this.ya = -5;
        this.facing = dir;
    }

    @Override
    public void update() {
        if (!alive) {
            return;
        }
        xa = facing * SPEED;
        x += xa;
    }

    @Override
    public void collideCheck() {
        Mario mario = world.mario();
        if (!alive || !touches(mario, CONTACT_REACH)) {
            return;
        }
        if (mario.landsOn(this)) {
            mario.stomp(this);
            world.recordKill(kind, SpriteKind.STOMP);
            world.removeSprite(this);
        } else {
            mario.getHurt();
        }
    }

    @Override
    public boolean fireballCollideCheck(Sprite fireball) {
        return hitBy(fireball);
    }

    @Override
    public boolean shellCollideCheck(Sprite shell) {
        return dieIfHitBy(shell, SpriteKind.SHELL_HIT);
    }
}
