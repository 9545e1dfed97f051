package engine;

/** What happened in a game so far: coins, kills by kind, hurts, jumps, blocks. */
public final class Stats {
    public int coins;
    public int lives;
    public final int[] kills;
    public final int[] killsByMethod;
    public int hurts;
    public int jumps;
    public float maxJumpLength;
    public int maxAirTime;
    public int bumps;
    public int bricksBroken;
    public int mushrooms;
    public int flowers;

    public Stats() {
        this.kills = new int[SpriteKind.KILL_KINDS.length];
        this.killsByMethod = new int[SpriteKind.KILL_METHODS.length];
    }

    private Stats(Stats other) {
        this.coins = other.coins;
        this.lives = other.lives;
        this.kills = other.kills.clone();
        this.killsByMethod = other.killsByMethod.clone();
        this.hurts = other.hurts;
        this.jumps = other.jumps;
        this.maxJumpLength = other.maxJumpLength;
        this.maxAirTime = other.maxAirTime;
        this.bumps = other.bumps;
        this.bricksBroken = other.bricksBroken;
        this.mushrooms = other.mushrooms;
        this.flowers = other.flowers;
    }

    public Stats copy() {
        return new Stats(this);
    }

    /** Records that an enemy of {@code kind} was killed by {@code method} (a SpriteKind constant). */
    public void recordKill(SpriteKind kind, int method) {
        int index = kind.killIndex();
        if (index >= 0) {
            kills[index]++;
            killsByMethod[method]++;
        }
    }

    public int killsTotal() {
        int total = 0;
        for (int k : kills) {
            total += k;
        }
        return total;
    }

    /** Records a landing after a jump that started at {@code startX} on tick {@code startTick}. */
    public void recordLanding(float startX, float landX, int startTick, int landTick) {
        maxJumpLength = Math.max(maxJumpLength, Math.abs(landX - startX));
        maxAirTime = Math.max(maxAirTime, landTick - startTick);
    }
}
