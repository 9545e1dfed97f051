package engine;

import sprites.Mario;

/**
 * What an agent may know of a game and how it may look ahead: Mario's state, the game's status,
 * and copies to play actions on.
 *
 * <p>An agent gets its own copy of the game every tick, so whatever it advances, the game being
 * played is never touched. Advancing is exact: a copy given the same actions as the game ends in the
 * same state, tick for tick. Unlike the Mario AI Framework's forward model there is no clock: a
 * searching agent limits itself by the work it does (e.g. nodes expanded), so its choices do not
 * depend on the machine or its load. Positions are pixels ({@link Tile#SIZE} per tile); x grows to
 * the right and y downwards, and Mario's (x, y) is the middle of his feet.
 */
public interface ForwardModel {
    /** Horizontal speed Mario gains per tick with a direction held, walking. */
    float MARIO_WALK_ACCELERATION = Mario.WALK_ACCELERATION;
    /** Horizontal speed Mario gains per tick with a direction and SPEED held. */
    float MARIO_RUN_ACCELERATION = Mario.RUN_ACCELERATION;
    /** Fraction of horizontal speed every sprite keeps from one tick to the next. */
    float INERTIA = Sprite.INERTIA;

    /** An independent copy of this game, to advance without changing this one. */
    ForwardModel copy();

    /** Plays one tick with Mario's buttons {@code actions} (a mask of {@link Actions} bits). */
    void advance(int actions);

    /** Whether the game is running, won, lost or timed out. */
    GameStatus status();

    /** Ticks played so far. */
    int tick();

    /** The level's height in pixels (Mario is in a pit once his feet are near it). */
    int levelHeightPixels();

    float marioX();

    float marioY();

    /** Mario's horizontal speed, pixels per tick (negative: to the left). */
    float marioSpeedX();

    MarioMode marioMode();

    /** Enemies Mario has killed so far, in any way (stomps, fireballs, shells, bumps). */
    int kills();

    /** Coins Mario has collected so far (coin tiles, coin blocks, extra power-ups). */
    int coins();

    boolean marioOnGround();

    /** Whether pressing JUMP now starts a jump (Mario stands on ground and JUMP was released). */
    boolean marioMayJump();

    /** Ticks the current jump still pushes Mario up while JUMP is held (0: none). */
    int marioJumpTicksLeft();

    /** Whether holding JUMP now starts a jump or lengthens the current one. */
    default boolean marioCanJumpHigher() {
        return marioMayJump() || marioJumpTicksLeft() > 0;
    }
}
