package sprites;

import engine.Actions;
import engine.MarioMode;
import engine.Sprite;
import engine.SpriteKind;
import engine.Tile;

/**
 * Mario: walking and running with inertia, variable-height jumps, ducking when large, fireballs
 * when fire, collecting coins and hitting blocks from below.
 */
public final class Mario extends Sprite {
    /** Speed gained per tick with a direction held: walking, and running with SPEED held. */
    public static final float WALK_ACCELERATION = 0.6f;
    public static final float RUN_ACCELERATION = 1.2f;
    /** Fraction of vertical speed kept each tick. */
    public static final float VERTICAL_DAMPING = 0.85f;
    /** Downward speed added per tick while airborne. */
    public static final float GRAVITY = 3f;
    /** Upward speed per remaining jump tick while JUMP is held. */
    public static final float JUMP_SPEED = -1.9f;
    /** Ticks a jump keeps pushing upward while JUMP is held. */
    public static final int JUMP_TICKS = 7;
    /** Ticks of upward push after stomping an enemy. */
    public static final int STOMP_JUMP_TICKS = 8;
    /** Fireballs fire Mario may have in the game at once; he shoots again once one is gone. */
    private static final int MAX_FIREBALLS = 2;
    /** Coins that give a 1-up. */
    private static final int COINS_PER_LIFE = 100;
    /** Ticks of invulnerability after being hurt. */
    public static final int HURT_INVULNERABILITY = 32;
    /** Height of large Mario standing, and of small (or ducking) Mario, in pixels. */
    private static final int LARGE_HEIGHT = 24;
    private static final int SMALL_HEIGHT = 12;
    /** Half-width of Mario's collision box. */
    private static final int HALF_WIDTH = 4;
    /** A take-off with a ceiling this many pixels above Mario's head or closer does not count as a jump. */
    private static final int HEAD_ROOM = 4;

    public int actions;
    private boolean large;
    private boolean fire;
    public boolean wasOnGround;
    public boolean ducking;
    public boolean canShoot;
    public boolean mayJump;
    public int jumpTime;
    private float xJumpSpeed;
    private float yJumpSpeed;
    public int invulnerableTime;
    /** Whether a jump took off and has not landed yet (its take-off x and tick are below). */
    private boolean jumpInFlight;
    private float jumpStartX;
    private int jumpStartTick;

    public Mario(float x, float y, MarioMode mode) {
        super(SpriteKind.MARIO, x, y);
        this.width = HALF_WIDTH;
        this.height = LARGE_HEIGHT;
        this.large = mode != MarioMode.SMALL;
        this.fire = mode == MarioMode.FIRE;
    }

    public MarioMode mode() {
        return fire ? MarioMode.FIRE : large ? MarioMode.LARGE : MarioMode.SMALL;
    }

    public boolean isLarge() {
        return large;
    }

    /** Whether Mario, touching {@code target}, is falling onto it from above (a stomp). */
    public boolean landsOn(Sprite target) {
        return ya > 0 && y - target.y <= 0 && (!onGround || !wasOnGround);
    }

    @Override
    public void update() {
        if (!alive) {
            return;
        }
        if (invulnerableTime > 0) {
            invulnerableTime--;
        }
        wasOnGround = onGround;
        boolean left = Actions.pressed(actions, Actions.LEFT);
        boolean right = Actions.pressed(actions, Actions.RIGHT);
        boolean speed = Actions.pressed(actions, Actions.SPEED);
        boolean jump = Actions.pressed(actions, Actions.JUMP);
        float acceleration = speed ? RUN_ACCELERATION : WALK_ACCELERATION;

        if (onGround) {
            ducking = Actions.pressed(actions, Actions.DOWN) && large;
        }
        height = large && !ducking ? LARGE_HEIGHT : SMALL_HEIGHT;
        faceAlongSpeed();

        if (jump) {
            if (onGround && mayJump) {
                startJump();
            } else if (jumpTime > 0) {
                xa += xJumpSpeed;
                ya = jumpTime * yJumpSpeed;
                jumpTime--;
            }
        } else {
            jumpTime = 0;
        }

        if (left && !ducking) {
            xa -= acceleration;
            facing = -1;
        }
        if (right && !ducking) {
            xa += acceleration;
            facing = 1;
        }
        if (speed && canShoot && fire && world.fireballsOnScreen() < MAX_FIREBALLS) {
            world.addSprite(new Fireball(x + facing * 6, y - 20, facing));
        }
        canShoot = !speed;
        mayJump = onGround && !jump;
        if (Math.abs(xa) < 0.5f) {
            xa = 0;
        }

        onGround = false;
        move(xa, 0);
        move(0, ya);
        if (!wasOnGround && onGround && jumpInFlight) {
            world.stats().recordLanding(jumpStartX, x, jumpStartTick, world.tick());
            jumpInFlight = false;
        }
        if (x < 0) {
            x = 0;
            xa = 0;
        }
        if (x > world.level().finishX()) {
            x = world.level().finishX();
            xa = 0;
            world.win();
        }

        slowDown(VERTICAL_DAMPING, GRAVITY);
    }

    private void startJump() {
        xJumpSpeed = 0;
        yJumpSpeed = JUMP_SPEED;
        jumpTime = JUMP_TICKS;
        ya = jumpTime * yJumpSpeed;
        onGround = false;
        float top = y - HEAD_ROOM - height;
        boolean headRoom = !(isBlocking(x, top, 0, -HEAD_ROOM) || isBlocking(x - width, top, 0, -HEAD_ROOM)
            || isBlocking(x + width, top, 0, -HEAD_ROOM));
        if (headRoom) {
            jumpInFlight = true;
            jumpStartX = x;
            jumpStartTick = world.tick();
            world.stats().jumps++;
        }
    }

    @Override
    protected boolean isBlocking(float px, float py, float xa, float ya) {
        int xTile = (int) (px / Tile.SIZE);
        int yTile = (int) (py / Tile.SIZE);
        if (xTile == tileX() && yTile == tileY()) {
            return false;
        }
        int block = world.terrain().tile(xTile, yTile);
        boolean blocking = Tile.blocks(block, xa, ya);
        if (Tile.has(block, Tile.PICKABLE)) {
            collectTileCoin();
            world.terrain().setTile(xTile, yTile, Tile.EMPTY);
        }
        if (blocking && ya < 0) {
            world.bump(xTile, yTile, large);
        }
        return blocking;
    }

    @Override
    protected float landingY() {
        return (int) ((y - 1) / Tile.SIZE + 1) * Tile.SIZE - 1;
    }

    @Override
    protected void hitCeiling() {
        jumpTime = 0;
    }

    /** Bounces off the top of a stomped sprite. */
    public void stomp(Sprite target) {
        if (!alive) {
            return;
        }
        float targetY = target.y - target.height / 2;
        move(0, targetY - y);
        xJumpSpeed = 0;
        yJumpSpeed = JUMP_SPEED;
        jumpTime = STOMP_JUMP_TICKS;
        ya = jumpTime * yJumpSpeed;
        onGround = false;
        invulnerableTime = 1;
    }

    /** Kicks a resting shell. */
    public void kick() {
        if (alive) {
            invulnerableTime = 1;
        }
    }

    /** Takes a hit: fire becomes large, large becomes small, small dies. */
    public void getHurt() {
        if (invulnerableTime > 0 || !alive) {
            return;
        }
        world.stats().hurts++;
        if (large) {
            world.pauseForPowerUpChange();
            if (fire) {
                fire = false;
            } else {
                large = false;
            }
            invulnerableTime = HURT_INVULNERABILITY;
        } else {
            world.lose();
        }
    }

    public void getFlower() {
        if (alive) {
            world.stats().flowers++;
            powerUp(true);
        }
    }

    public void getMushroom() {
        if (alive) {
            world.stats().mushrooms++;
            powerUp(false);
        }
    }

    /** Grows Mario (and gives him fire with a flower), or gives a coin if he already has that power. */
    private void powerUp(boolean withFire) {
        if (withFire ? fire : large) {
            collectCoin();
            return;
        }
        world.pauseForPowerUpChange();
        large = true;
        fire |= withFire;
    }

    public void collectLife() {
        if (alive) {
            world.stats().lives++;
        }
    }

    /** Takes a coin tile's coin (counted apart from the coins of blocks and extra power-ups). */
    public void collectTileCoin() {
        if (alive) {
            world.stats().tileCoins++;
            collectCoin();
        }
    }

    public void collectCoin() {
        if (!alive) {
            return;
        }
        world.stats().coins++;
        if (world.stats().coins % COINS_PER_LIFE == 0) {
            collectLife();
        }
    }
}
