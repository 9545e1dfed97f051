package engine;

import java.util.List;

/**
 * A parsed level: its tile map as first loaded, the enemy spawn points, the cannons, Mario's start
 * the finish column and the column from which completion is measured. Immutable; a game changes
 * tiles in its own {@link Terrain}.
 */
public final class Level {
    /** {@link #segmentStart} of a level measured as a whole, as the reference measures it. */
    public static final int WHOLE_LEVEL = -1;

    /** Where an enemy appears when its tile scrolls into view, or a cannon that fires bullet bills. */
    public static final class SpawnPoint {
        public final int x;
        public final int y;
        /** The enemy kind, or null for a cannon. */
        public final SpriteKind kind;
        /** Index among the enemy spawn points (identifies the enemy it spawned), -1 for cannons. */
        public final int templateId;

        public SpawnPoint(int x, int y, SpriteKind kind, int templateId) {
            this.x = x;
            this.y = y;
            this.kind = kind;
            this.templateId = templateId;
        }
    }

    public final int width;
    public final int height;
    public final int startX;
    public final int startY;
    public final int exitX;
    public final int exitY;
    /**
     * The column where the measured segment starts (a caller's padding lies before it), or
     * {@link #WHOLE_LEVEL}; completion runs from its left edge to the finish.
     */
    public final int segmentStart;
    /** Sorted by column then row: the order in which the game scans for spawns. */
    public final List<SpawnPoint> spawnPoints;
    public final int templateCount;
    final byte[] tiles;

    /**
     * Creates a level.
     *
     * @param tiles tile codes indexed {@code x * height + y}
     */
    public Level(int width, int height, byte[] tiles, List<SpawnPoint> spawnPoints, int startX, int startY,
            int exitX, int exitY, int segmentStart) {
        this.width = width;
        this.height = height;
        this.tiles = tiles;
        this.spawnPoints = List.copyOf(spawnPoints);
        int templates = 0;
        for (SpawnPoint p : spawnPoints) {
            if (p.kind != null) {
                templates++;
            }
        }
        this.templateCount = templates;
        this.startX = startX;
        this.startY = startY;
        this.exitX = exitX;
        this.exitY = exitY;
        this.segmentStart = segmentStart;
    }

    /** Tile code at (x, y) as first loaded. */
    public int initialTile(int x, int y) {
        return tiles[x * height + y];
    }

    public int widthPixels() {
        return width * Tile.SIZE;
    }

    public int heightPixels() {
        return height * Tile.SIZE;
    }

    /** The x (pixels) Mario wins by passing: the finish column's left edge. */
    public int finishX() {
        return exitX * Tile.SIZE;
    }
}
