package engine;

/**
 * Tile codes of a level map and the collision/interaction features of each code.
 *
 * <p>Codes are our own numbering; the features follow the Mario AI Framework's rules: solid blocks
 * stop everything, jump-through platforms stop only falling sprites, hidden blocks stop only rising
 * Mario, coins are picked up on touch.
 */
public final class Tile {
    /** Width and height of a tile in pixels, the unit of every position in the game. */
    public static final int SIZE = 16;

    public static final byte EMPTY = 0;
    public static final byte GROUND = 1;
    public static final byte BLOCK = 2;
    public static final byte CANNON_TOP = 3;
    public static final byte CANNON_BODY = 4;
    public static final byte BRICK = 5;
    public static final byte COIN_BRICK = 6;
    public static final byte POWERUP_QUESTION = 7;
    public static final byte COIN_QUESTION = 8;
    public static final byte USED = 9;
    public static final byte COIN = 10;
    public static final byte PIPE_TOP_LEFT = 11;
    public static final byte PIPE_TOP_RIGHT = 12;
    public static final byte PIPE_LEFT = 13;
    public static final byte PIPE_RIGHT = 14;
    public static final byte PIPE_SINGLE_TOP = 15;
    public static final byte PIPE_SINGLE = 16;
    public static final byte PLATFORM = 17;
    public static final byte PLATFORM_BACKGROUND = 18;
    public static final byte HIDDEN_LIFE = 19;
    public static final byte HIDDEN_COIN = 20;
    public static final byte POWERUP_BRICK = 21;
    public static final byte LIFE_BRICK = 22;
    public static final byte FLAGPOLE = 23;
    public static final byte FLAG_TOP = 24;
    public static final int COUNT = 25;

    /** Stops movement in every direction. */
    public static final int SOLID = 1;
    /** Stops only downward movement (jump-through platform). */
    public static final int STOPS_FALLING = 1 << 1;
    /** Stops only upward movement (hidden block). */
    public static final int STOPS_RISING = 1 << 2;
    /** Hitting it from below releases its content and turns it into a used block. */
    public static final int BUMPABLE = 1 << 3;
    /** Large Mario or a shell breaks it. */
    public static final int BREAKABLE = 1 << 4;
    /** Collected on touch. */
    public static final int PICKABLE = 1 << 5;
    /** Its content is a mushroom (small Mario) or a fire flower (large Mario). */
    public static final int POWERUP = 1 << 6;
    /** Its content is a 1-up mushroom. */
    public static final int LIFE = 1 << 7;
    /** Fires bullet bills. */
    public static final int SPAWNER = 1 << 8;

    private static final int[] FEATURES = new int[COUNT];

    static {
        for (byte solid : new byte[] {GROUND, BLOCK, CANNON_BODY, USED, PIPE_TOP_LEFT, PIPE_TOP_RIGHT,
            PIPE_LEFT, PIPE_RIGHT, PIPE_SINGLE_TOP, PIPE_SINGLE}) {
            FEATURES[solid] = SOLID;
        }
        FEATURES[CANNON_TOP] = SOLID | SPAWNER;
        FEATURES[BRICK] = SOLID | BREAKABLE;
        FEATURES[COIN_BRICK] = SOLID | BUMPABLE;
        FEATURES[POWERUP_QUESTION] = SOLID | BUMPABLE | POWERUP;
        FEATURES[COIN_QUESTION] = SOLID | BUMPABLE;
        FEATURES[COIN] = PICKABLE;
        FEATURES[PLATFORM] = STOPS_FALLING;
        FEATURES[HIDDEN_LIFE] = STOPS_RISING | BUMPABLE | LIFE;
        FEATURES[HIDDEN_COIN] = STOPS_RISING | BUMPABLE;
        FEATURES[POWERUP_BRICK] = SOLID | BUMPABLE | POWERUP;
        FEATURES[LIFE_BRICK] = SOLID | BUMPABLE | LIFE;
    }

    private Tile() {
    }

    /** The x in pixels of the middle of tile column {@code x}. */
    public static int middleX(int x) {
        return x * SIZE + SIZE / 2;
    }

    /** The y in pixels of the bottom pixel row of tile row {@code y} (where a sprite standing in it has its feet). */
    public static int bottomY(int y) {
        return y * SIZE + SIZE - 1;
    }

    /** Whether tile {@code code} has every feature bit in {@code feature}. */
    public static boolean has(int code, int feature) {
        return (FEATURES[code] & feature) == feature;
    }

    /** Whether a sprite moving by (xa, ya) is stopped by tile {@code code}. */
    public static boolean blocks(int code, float xa, float ya) {
        int f = FEATURES[code];
        return (f & SOLID) != 0 || (ya < 0 && (f & STOPS_RISING) != 0) || (ya > 0 && (f & STOPS_FALLING) != 0);
    }
}
