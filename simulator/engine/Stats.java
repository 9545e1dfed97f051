package engine;

/** What happened in a game so far: coins, kills by kind, hurts, jumps, blocks. */
public final class Stats {
    public int coins;
    /** Coins taken from coin tiles (touched, or bumped from below), not from blocks. */
    public int tileCoins;
    /** Enemies that fell out of the level through its bottom edge. */
    public int fallKills;
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
    /** Every landed jump, the latest first; shared between copies (a landing adds a new head). */
    private Landing landings;

    public Stats() {
        this.kills = new int[SpriteKind.KILL_KINDS.length];
        this.killsByMethod = new int[SpriteKind.KILL_METHODS.length];
    }

    private Stats(Stats other) {
        this.coins = other.coins;
        this.tileCoins = other.tileCoins;
        this.fallKills = other.fallKills;
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
        this.landings = other.landings;
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
        float length = Math.abs(landX - startX);
        int airTime = landTick - startTick;
        maxJumpLength = Math.max(maxJumpLength, length);
        maxAirTime = Math.max(maxAirTime, airTime);
        landings = new Landing(length, airTime, landings);
    }

    /** Horizontal distance of every landed jump, in pixels, in the order they landed. */
    public float[] jumpLengths() {
        float[] lengths = new float[landingCount()];
        int i = lengths.length;
        for (Landing l = landings; l != null; l = l.previous) {
            lengths[--i] = l.length;
        }
        return lengths;
    }

    /** Ticks in the air of every landed jump, in the order they landed. */
    public int[] jumpAirTimes() {
        int[] times = new int[landingCount()];
        int i = times.length;
        for (Landing l = landings; l != null; l = l.previous) {
            times[--i] = l.airTime;
        }
        return times;
    }

    private int landingCount() {
        int count = 0;
        for (Landing l = landings; l != null; l = l.previous) {
            count++;
        }
        return count;
    }

    /** One landed jump; immutable, so game copies share the list instead of copying it. */
    private record Landing(float length, int airTime, Landing previous) {
    }
}
