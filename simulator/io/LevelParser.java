package io;

import engine.Level;
import engine.SpriteKind;
import engine.Tile;
import java.util.ArrayList;
import java.util.List;

/** Turns level text (rows separated by newlines) into a {@link Level}. */
public final class LevelParser {
    /** Largest accepted level, in tiles (a full SMB level is about 200 x 14). */
    public static final int MAX_WIDTH = 4096;
    public static final int MAX_HEIGHT = 256;
    public static final int MAX_TILES = 256 * 1024;
    /**
     * Fewest rows a level must have: one row of ground, two rows for large Mario (he is 2 tiles tall)
     * standing on it and one row of headroom to jump in. Lower levels are no game (Mario walks above
     * the top row). The VGLC levels and VAE segments have 14 rows.
     */
    public static final int MIN_HEIGHT = 4;

    private LevelParser() {
    }

    /** Parses {@code text} written in {@code alphabet}; throws {@link LevelFormatException}. */
    public static Level parse(String text, Alphabet alphabet) {
        return parse(text, alphabet, Level.WHOLE_LEVEL);
    }

    /**
     * Parses {@code text} written in {@code alphabet}, whose completion is measured from column
     * {@code segmentStart} ({@link Level#WHOLE_LEVEL}: the whole level); throws {@link LevelFormatException}.
     */
    public static Level parse(String text, Alphabet alphabet, int segmentStart) {
        String[] rows = splitRows(text);
        int height = rows.length;
        int width = rows[0].length();
        char[][] grid = new char[height][];
        for (int y = 0; y < height; y++) {
            grid[y] = rows[y].toCharArray();
        }

        byte[] tiles = new byte[width * height];
        SpriteKind[] enemies = new SpriteKind[width * height];
        int startX = -1;
        int startY = -1;
        int exitX = -1;
        int exitY = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                char c = grid[y][x];
                int code = alphabet.tileOf(c);
                if (code < 0) {
                    throw new LevelFormatException("unknown tile '" + printable(c) + "' at row " + y + ", column " + x
                        + " for alphabet " + alphabet.label);
                }
                int index = x * height + y;
                tiles[index] = (byte) code;
                enemies[index] = alphabet.enemyOf(c);
                if (c == Alphabet.START) {
                    startX = x;
                    startY = y;
                } else if (c == Alphabet.FINISH) {
                    exitX = x;
                    exitY = y;
                } else if (alphabet == Alphabet.MARIO_AI) {
                    shapeNeighbourTile(grid, tiles, enemies, x, y, width, height);
                }
            }
        }
        if (height < MIN_HEIGHT) {
            throw new LevelFormatException("level has " + height + " rows; at least " + MIN_HEIGHT
                + " are needed (ground, two rows for large Mario, one to jump in)");
        }
        if (segmentStart != Level.WHOLE_LEVEL && (segmentStart < 0 || segmentStart >= width)) {
            throw new LevelFormatException("segment_start " + segmentStart + " is not a column of the level (0 to "
                + (width - 1) + ")");
        }
        if (startX < 0) {
            startX = 0;
            startY = firstFloor(grid, 0, alphabet);
        }
        if (exitX < 0) {
            exitX = width - 1;
            exitY = firstFloor(grid, exitX, alphabet);
        }
        placeFlagpole(tiles, height, exitX, exitY);

        List<Level.SpawnPoint> spawns = new ArrayList<>();
        int templates = 0;
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                int index = x * height + y;
                if (enemies[index] != null) {
                    spawns.add(new Level.SpawnPoint(x, y, enemies[index], templates++));
                } else if (Tile.has(tiles[index], Tile.SPAWNER)) {
                    spawns.add(new Level.SpawnPoint(x, y, null, -1));
                }
            }
        }
        return new Level(width, height, tiles, spawns, startX, startY, exitX, exitY, segmentStart);
    }

    private static String[] splitRows(String text) {
        if (text == null || text.isBlank()) {
            throw new LevelFormatException("empty level: expected rows of tile characters separated by newlines");
        }
        String[] lines = text.split("\r?\n", -1);
        int count = lines.length;
        while (count > 0 && lines[count - 1].isEmpty()) {
            count--;
        }
        if (count > MAX_HEIGHT) {
            throw new LevelFormatException("level has " + count + " rows; at most " + MAX_HEIGHT + " are accepted");
        }
        String[] rows = new String[count];
        System.arraycopy(lines, 0, rows, 0, count);
        int width = rows[0].length();
        if (width == 0) {
            throw new LevelFormatException("row 0 is empty");
        }
        if (width > MAX_WIDTH || (long) width * count > MAX_TILES) {
            throw new LevelFormatException("level of " + width + " x " + count + " tiles is too large (at most "
                + MAX_WIDTH + " columns and " + MAX_TILES + " tiles)");
        }
        for (int y = 1; y < count; y++) {
            if (rows[y].length() != width) {
                throw new LevelFormatException("row " + y + " has " + rows[y].length() + " tiles but row 0 has "
                    + width + " (all rows must have the same length)");
            }
        }
        return rows;
    }

    /** Cannons and pipes written with one repeated character take their shape from neighbours. */
    private static void shapeNeighbourTile(char[][] grid, byte[] tiles, SpriteKind[] enemies, int x, int y,
            int width, int height) {
        char c = grid[y][x];
        int index = x * height + y;
        if (c == '*') {
            tiles[index] = y > 0 && grid[y - 1][x] == '*' ? Tile.CANNON_BODY : Tile.CANNON_TOP;
        } else if (c == 't' || c == 'T') {
            boolean single = x > 0 && x < width - 1 && Character.toLowerCase(grid[y][x + 1]) != 't'
                && Character.toLowerCase(grid[y][x - 1]) != 't';
            boolean rightHalf = x > 0 && (tiles[index - height] == Tile.PIPE_TOP_LEFT
                || tiles[index - height] == Tile.PIPE_LEFT);
            boolean body = y > 0 && Character.toLowerCase(grid[y - 1][x]) == 't';
            if (single) {
                tiles[index] = body ? Tile.PIPE_SINGLE : Tile.PIPE_SINGLE_TOP;
            } else if (rightHalf) {
                tiles[index] = body ? Tile.PIPE_RIGHT : Tile.PIPE_TOP_RIGHT;
            } else {
                tiles[index] = body ? Tile.PIPE_LEFT : Tile.PIPE_TOP_LEFT;
                if (c == 'T' && !body) {
                    enemies[index] = SpriteKind.PIRANHA_PLANT;
                }
            }
        }
    }

    /** Row just above the lowest floor tile of column {@code x}, or -1 if the column has none. */
    private static int firstFloor(char[][] grid, int x, Alphabet alphabet) {
        boolean belowFloor = true;
        for (int y = grid.length - 1; y >= 0; y--) {
            if (alphabet.isFloor(grid[y][x])) {
                belowFloor = false;
            } else if (!belowFloor) {
                return y;
            }
        }
        return -1;
    }

    /** The finish column is cleared above the finish row for the flagpole, as in the reference game. */
    private static void placeFlagpole(byte[] tiles, int height, int exitX, int exitY) {
        int top = Math.max(1, exitY - 11);
        for (int y = exitY; y > top; y--) {
            if (y < height) {
                tiles[exitX * height + y] = Tile.FLAGPOLE;
            }
        }
        if (top < height) {
            tiles[exitX * height + top] = Tile.FLAG_TOP;
        }
    }

    private static String printable(char c) {
        return c < 32 || c > 126 ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
