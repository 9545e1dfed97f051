package sprites;

import engine.Sprite;
import engine.SpriteKind;

/**
 * A walking enemy: goomba, red or green koopa, spiky, each optionally winged (hopping).
 *
 * <p>Walkers turn at walls; red koopas also turn at ledges. Stomping removes wings first, then kills
 * (koopas leave a shell); spikies hurt whoever stomps them and ignore fireballs.
 */
public class Enemy extends Sprite {
    private static final float WALK_SPEED = 1.75f;

    protected boolean winged;
    private final boolean avoidsCliffs;
    protected boolean fireproof;

    public Enemy(SpriteKind kind, float x, float y, int dir) {
        super(kind, x, y);
        this.width = 4;
        this.height = kind.isKoopa() ? 24 : 12;
        this.winged = kind.winged;
        this.avoidsCliffs = kind.isRedKoopa();
        this.fireproof = kind.isSpiky();
        this.facing = dir == 0 ? 1 : dir;
    }

    public boolean isWinged() {
        return winged;
    }

    @Override
    protected boolean stopsAtCliff() {
        return avoidsCliffs;
    }

    /** Whether Mario can stomp this enemy (false for spikies and piranha plants). */
    protected boolean stompable() {
        return !kind.isSpiky();
    }

    @Override
    public void collideCheck() {
        if (!alive) {
            return;
        }
        Mario mario = world.mario();
        float dx = mario.x - x;
        float dy = mario.y - y;
        if (dx <= -width * 2 - 4 || dx >= width * 2 + 4 || dy <= -height || dy >= mario.height) {
            return;
        }
        if (stompable() && mario.landsOn(this)) {
            mario.stomp(this);
            if (winged) {
                winged = false;
                ya = 0;
            } else {
                if (kind.isKoopa()) {
                    world.addSprite(new Shell(x, y, templateId));
                }
                world.recordKill(kind, SpriteKind.STOMP);
                world.removeSprite(this);
            }
        } else {
            mario.getHurt();
        }
    }

    @Override
    public void update() {
        if (!alive) {
            return;
        }
        faceAlongSpeed();
        walkThenFall(WALK_SPEED);
        slowDown(winged ? 0.95f : 0.85f, winged ? 0.6f : 2);
        if (onGround && winged) {
            ya = -10;
        }
    }

    @Override
    public boolean shellCollideCheck(Sprite shell) {
        return dieIfHitBy(shell, SpriteKind.SHELL_HIT);
    }

    @Override
    public boolean fireballCollideCheck(Sprite fireball) {
        return fireproof ? hitBy(fireball) : dieIfHitBy(fireball, SpriteKind.FIRE);
    }

    @Override
    public void bumpCheck(int xTile, int yTile) {
        if (!alive) {
            return;
        }
        if (standsIn(xTile, yTile)) {
            world.recordKill(kind, SpriteKind.BUMP);
            world.removeSprite(this);
        }
    }
}
