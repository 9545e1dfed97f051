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
    /** Ticks of invulnerability after being hurt. */
    public static final int HURT_INVULNERABILITY = 32;

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
    private float jumpStartX = -100;
    private int jumpStartTick;

    public Mario(float x, float y, MarioMode mode) {
        super(SpriteKind.MARIO, x, y);
        this.width = 4;
        this.height = 24;
        this.large = mode != MarioMode.SMALL;
        this.fire = mode == MarioMode.FIRE;
    }

    public MarioMode mode() {
        return fire ? MarioMode.FIRE : large ? MarioMode.LARGE : MarioMode.SMALL;
    }

    public boolean isLarge() {
        return large;
    }

    /** Whether holding JUMP now would start a jump or lengthen the current one. */
    public boolean canJumpHigher() {
        return mayJump || jumpTime > 0;
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
        height = large && !ducking ? 24 : 12;
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
        if (speed && canShoot && fire && world.fireballsOnScreen < 2) {
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
        if (!wasOnGround && onGround && jumpStartX >= 0) {
            world.stats.recordLanding(jumpStartX, x, jumpStartTick, world.tick);
            jumpStartX = -100;
        }
        if (x < 0) {
            x = 0;
            xa = 0;
        }
        if (x > world.level.exitX * 16) {
            x = world.level.exitX * 16;
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
        boolean headRoom = !(isBlocking(x, y - 4 - height, 0, -4) || isBlocking(x - width, y - 4 - height, 0, -4)
            || isBlocking(x + width, y - 4 - height, 0, -4));
        if (headRoom) {
            jumpStartX = x;
            jumpStartTick = world.tick;
            world.stats.jumps++;
        }
    }

    @Override
    protected boolean isBlocking(float px, float py, float xa, float ya) {
        int xTile = (int) (px / 16);
        int yTile = (int) (py / 16);
        if (xTile == (int) (x / 16) && yTile == (int) (y / 16)) {
            return false;
        }
        int block = world.terrain.tile(xTile, yTile);
        boolean blocking = Tile.blocks(block, xa, ya);
        if (Tile.has(block, Tile.PICKABLE)) {
            collectCoin();
            world.terrain.setTile(xTile, yTile, Tile.EMPTY);
        }
        if (blocking && ya < 0) {
            world.bump(xTile, yTile, large);
        }
        return blocking;
    }

    @Override
    protected float landingY() {
        return (int) ((y - 1) / 16 + 1) * 16 - 1;
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
        world.stats.hurts++;
        if (large) {
            world.pauseTimer = 9;
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
            world.stats.flowers++;
            powerUp(true);
        }
    }

    public void getMushroom() {
        if (alive) {
            world.stats.mushrooms++;
            powerUp(false);
        }
    }

    /** Grows Mario (and gives him fire with a flower), or gives a coin if he already has that power. */
    private void powerUp(boolean withFire) {
        if (withFire ? fire : large) {
            collectCoin();
            return;
        }
        world.pauseTimer = 9;
        large = true;
        fire |= withFire;
    }

    public void collectLife() {
        if (alive) {
            world.stats.lives++;
        }
    }

    public void collectCoin() {
        if (!alive) {
            return;
        }
        world.stats.coins++;
        if (world.stats.coins % 100 == 0) {
            collectLife();
        }
    }
}
