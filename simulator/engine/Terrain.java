package engine;

/**
 * The tiles of a level as they are during one game (bricks break, blocks get used, coins vanish),
 * plus when each enemy spawn point was last in view. Copies share the tile array until one writes.
 */
public final class Terrain {
    public final Level level;
    private byte[] tiles;
    private boolean sharedTiles;
    private final int[] lastSpawnTick;

    public Terrain(Level level) {
        this.level = level;
        this.tiles = level.tiles;
        this.sharedTiles = true;
        this.lastSpawnTick = new int[level.templateCount];
        java.util.Arrays.fill(lastSpawnTick, -40);
    }

    private Terrain(Terrain other) {
        this.level = other.level;
        this.tiles = other.tiles;
        this.sharedTiles = true;
        other.sharedTiles = true;
        this.lastSpawnTick = other.lastSpawnTick.clone();
    }

    public Terrain copy() {
        return new Terrain(this);
    }

    /** Tile at (x, y); columns beyond either side repeat the edge column, rows outside are empty. */
    public int tile(int x, int y) {
        if (x < 0) {
            x = 0;
        }
        if (x > level.width - 1) {
            x = level.width - 1;
        }
        if (y < 0 || y > level.height - 1) {
            return Tile.EMPTY;
        }
        return tiles[x * level.height + y];
    }

    /** Replaces the tile at (x, y); positions outside the map are ignored. */
    public void setTile(int x, int y, byte code) {
        if (x < 0 || y < 0 || x > level.width - 1 || y > level.height - 1) {
            return;
        }
        if (sharedTiles) {
            tiles = tiles.clone();
            sharedTiles = false;
        }
        tiles[x * level.height + y] = code;
    }

    /** Whether the tile at (x, y) stops a sprite moving by (xa, ya). */
    public boolean blocks(int x, int y, float xa, float ya) {
        return Tile.blocks(tile(x, y), xa, ya);
    }

    int lastSpawnTick(int templateId) {
        return lastSpawnTick[templateId];
    }

    void setLastSpawnTick(int templateId, int tick) {
        lastSpawnTick[templateId] = tick;
    }
}
