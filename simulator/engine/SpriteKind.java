package engine;

/**
 * Every kind of sprite, with the facts the rules need about it.
 *
 * <p>The ordinal is the kind's id in the telemetry's {@code sprite_trace} (simulator/PROTOCOL.md): add new
 * kinds at the end.
 */
public enum SpriteKind {
    MARIO(null, false),
    GOOMBA("goomba", false),
    GOOMBA_WINGED("goomba", true),
    RED_KOOPA("koopa", false),
    RED_KOOPA_WINGED("koopa", true),
    GREEN_KOOPA("koopa", false),
    GREEN_KOOPA_WINGED("koopa", true),
    SPIKY("spiky", false),
    SPIKY_WINGED("spiky", true),
    BULLET_BILL("bullet_bill", false),
    PIRANHA_PLANT("piranha", false),
    SHELL("shell", false),
    MUSHROOM(null, false),
    FIRE_FLOWER(null, false),
    LIFE_MUSHROOM(null, false),
    FIREBALL(null, false);

    /** How an enemy was killed, in telemetry order. */
    public static final String[] KILL_METHODS = {"stomp", "fire", "shell", "bump"};
    public static final int STOMP = 0;
    public static final int FIRE = 1;
    public static final int SHELL_HIT = 2;
    public static final int BUMP = 3;

    /** Names of the enemy kinds counted in telemetry, in a fixed order. */
    public static final String[] KILL_KINDS = {"goomba", "koopa", "spiky", "piranha", "bullet_bill", "shell"};

    /** Telemetry name of this enemy kind, or null for non-enemies. */
    public final String killKind;
    public final boolean winged;

    SpriteKind(String killKind, boolean winged) {
        this.killKind = killKind;
        this.winged = winged;
    }

    public boolean isKoopa() {
        return this == RED_KOOPA || this == RED_KOOPA_WINGED || this == GREEN_KOOPA || this == GREEN_KOOPA_WINGED;
    }

    public boolean isRedKoopa() {
        return this == RED_KOOPA || this == RED_KOOPA_WINGED;
    }

    /** Goombas, koopas and spikies, winged or not (the enemies that can fall into a pit). */
    public boolean isWalkingEnemy() {
        return killKind != null && this != BULLET_BILL && this != PIRANHA_PLANT && this != SHELL;
    }

    public boolean isSpiky() {
        return this == SPIKY || this == SPIKY_WINGED;
    }

    /** Index of this kind in {@link #KILL_KINDS}, or -1. */
    public int killIndex() {
        if (killKind == null) {
            return -1;
        }
        for (int i = 0; i < KILL_KINDS.length; i++) {
            if (KILL_KINDS[i].equals(killKind)) {
                return i;
            }
        }
        return -1;
    }
}
