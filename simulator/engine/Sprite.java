package engine;

/**
 * Anything that moves: Mario, enemies, items, projectiles.
 *
 * <p>Positions are in pixels; (x, y) is the middle of the sprite's feet. {@code width} is the
 * half-width of its collision box and {@code height} its full height. Tile collision is shared here;
 * subclasses adjust it through the hooks {@link #isBlocking}, {@link #stopsAtCliff} and
 * {@link #landingY}.
 */
public abstract class Sprite implements Cloneable {
    /** Fraction of horizontal speed every sprite keeps from one tick to the next. */
    public static final float INERTIA = 0.89f;
    /** Horizontal reach within which two sprites' boxes touch (shells, fireballs, bullet bills). */
    public static final float CONTACT_REACH = 16;
    /** Longest step of a move; longer moves are cut into steps so nothing passes through a tile. */
    private static final int MAX_STEP = 8;
    /** Upward speed of a sprite knocked off a block hit from below. */
    private static final float HOP_SPEED = -10;

    public final SpriteKind kind;
    public float x;
    public float y;
    public float xa;
    public float ya;
    public int width = Tile.SIZE;
    public int height = Tile.SIZE;
    public int facing = 1;
    public boolean alive = true;
    public boolean onGround;
    /** The enemy spawn point this sprite came from (-1: none); a spawn point makes one live sprite. */
    public int templateId = -1;
    public World world;

    protected Sprite(SpriteKind kind, float x, float y) {
        this.kind = kind;
        this.x = x;
        this.y = y;
    }

    /**
     * An independent copy of this sprite, not attached to any world.
     *
     * <p>Every sprite field is a value (numbers, flags, the kind), so a field-by-field clone is a full copy.
     */
    public final Sprite copy() {
        try {
            Sprite copy = (Sprite) super.clone();
            copy.world = null;
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("sprites are Cloneable", e);
        }
    }

    /** Advances this sprite by one tick. */
    public void update() {
    }

    /** Resolves contact with Mario after every sprite has moved. */
    public void collideCheck() {
    }

    /** Reacts to the block below tile (xTile, yTile) being hit from underneath. */
    public void bumpCheck(int xTile, int yTile) {
    }

    /** Reacts to a moving shell; returns true if this sprite dies from it. */
    public boolean shellCollideCheck(Sprite shell) {
        return false;
    }

    /** Reacts to a fireball; returns true if the fireball is used up. */
    public boolean fireballCollideCheck(Sprite fireball) {
        return false;
    }

    /** Turns to face the way the sprite is pushed (faster than 2 pixels per tick). */
    protected final void faceAlongSpeed() {
        if (xa > 2) {
            facing = 1;
        }
        if (xa < -2) {
            facing = -1;
        }
    }

    /** Walks at {@code speed} the way it faces, turning round at walls, then falls by {@code ya}. */
    protected final void walkThenFall(float speed) {
        xa = facing * speed;
        if (!move(xa, 0)) {
            facing = -facing;
        }
        onGround = false;
        move(0, ya);
    }

    /** Applies inertia (0.89 horizontally, {@code verticalDamping} vertically) and gravity in the air. */
    protected final void slowDown(float verticalDamping, float gravity) {
        ya *= verticalDamping;
        xa *= INERTIA;
        if (!onGround) {
            ya += gravity;
        }
    }

    /** Whether this sprite stands on top of the tile below (xTile, yTile), i.e. in that tile. */
    protected final boolean standsIn(int xTile, int yTile) {
        return x + width > xTile * Tile.SIZE && x - width < xTile * Tile.SIZE + Tile.SIZE
            && yTile == (int) ((y - 1) / Tile.SIZE);
    }

    /** Whether the box of {@code other} touches this sprite within the given x reach. */
    protected final boolean touches(Sprite other, float xReach) {
        float dx = other.x - x;
        float dy = other.y - y;
        return dx > -xReach && dx < xReach && dy > -height && dy < other.height;
    }

    /** Whether {@code other} (a shell or a fireball) touches this sprite while it is alive. */
    protected final boolean hitBy(Sprite other) {
        return alive && touches(other, CONTACT_REACH);
    }

    /**
     * Dies if {@code other} touches this live sprite, counting the kill by {@code method}.
     *
     * @param method how it died (a SpriteKind kill-method constant)
     * @return whether it died
     */
    protected final boolean dieIfHitBy(Sprite other, int method) {
        if (!hitBy(other)) {
            return false;
        }
        world.recordKill(kind, method);
        world.removeSprite(this);
        return true;
    }

    /** Hops up, away from the way {@code mario} faces, when the block below (xTile, yTile) is hit. */
    protected final void hopIfBlockBumped(int xTile, int yTile, Sprite mario) {
        if (alive && standsIn(xTile, yTile)) {
            facing = -mario.facing;
            ya = HOP_SPEED;
        }
    }

    /**
     * Moves by (xa, ya) in steps of at most 8 pixels, stopping at the first blocking tile.
     *
     * @return false if a tile stopped the move
     */
    protected final boolean move(float xa, float ya) {
        while (xa > MAX_STEP) {
            if (!move(MAX_STEP, 0)) {
                return false;
            }
            xa -= MAX_STEP;
        }
        while (xa < -MAX_STEP) {
            if (!move(-MAX_STEP, 0)) {
                return false;
            }
            xa += MAX_STEP;
        }
        while (ya > MAX_STEP) {
            if (!move(0, MAX_STEP)) {
                return false;
            }
            ya -= MAX_STEP;
        }
        while (ya < -MAX_STEP) {
            if (!move(0, -MAX_STEP)) {
                return false;
            }
            ya += MAX_STEP;
        }

        boolean collide = false;
        if (ya > 0) {
            collide = isBlocking(x + xa - width, y + ya, xa, 0)
                || isBlocking(x + xa + width, y + ya, xa, 0)
                || isBlocking(x + xa - width, y + ya + 1, xa, ya)
                || isBlocking(x + xa + width, y + ya + 1, xa, ya);
        }
        if (ya < 0) {
            collide = isBlocking(x + xa, y + ya - height, xa, ya)
                || isBlocking(x + xa - width, y + ya - height, xa, ya)
                || isBlocking(x + xa + width, y + ya - height, xa, ya);
        }
        if (xa != 0) {
            float side = xa > 0 ? x + xa + width : x + xa - width;
            // every probe runs: Mario collects coins and bumps blocks through them
            collide |= isBlocking(side, y + ya - height, xa, ya);
            collide |= isBlocking(side, y + ya - height / 2, xa, ya);
            collide |= isBlocking(side, y + ya, xa, ya);
            if (stopsAtCliff() && onGround
                    && !world.terrain().blocks((int) (side / Tile.SIZE), (int) (y / Tile.SIZE + 1), xa, 1)) {
                collide = true;
            }
        }

        if (!collide) {
            x += xa;
            y += ya;
            return true;
        }
        if (xa < 0) {
            x = (int) ((x - width) / Tile.SIZE) * Tile.SIZE + width;
            this.xa = 0;
        }
        if (xa > 0) {
            x = (int) ((x + width) / Tile.SIZE + 1) * Tile.SIZE - width - 1;
            this.xa = 0;
        }
        if (ya < 0) {
            y = (int) ((y - height) / Tile.SIZE) * Tile.SIZE + height;
            hitCeiling();
            this.ya = 0;
        }
        if (ya > 0) {
            y = landingY();
            onGround = true;
        }
        return false;
    }

    /** Whether the tile under pixel (px, py) stops this sprite; the tile it stands in never does. */
    protected boolean isBlocking(float px, float py, float xa, float ya) {
        int xTile = (int) (px / Tile.SIZE);
        int yTile = (int) (py / Tile.SIZE);
        if (xTile == tileX() && yTile == tileY()) {
            return false;
        }
        return world.terrain().blocks(xTile, yTile, xa, ya);
    }

    /** Whether walking off a ledge counts as hitting a wall (red koopas). */
    protected boolean stopsAtCliff() {
        return false;
    }

    /** The y this sprite snaps to when it lands on a tile. */
    protected float landingY() {
        return (int) (y / Tile.SIZE + 1) * Tile.SIZE - 1;
    }

    /** Called when a tile above stops an upward move. */
    protected void hitCeiling() {
    }

    /** The tile column this sprite's feet are in. */
    public int tileX() {
        return (int) (x / Tile.SIZE);
    }

    /** The tile row this sprite's feet are in. */
    public int tileY() {
        return (int) (y / Tile.SIZE);
    }
}
