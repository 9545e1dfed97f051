package io;

import engine.Level;

/**
 * Levels written as a list of int rows in the VAE alphabet, as MarioVAE passes them:
 * {@code [[2, 2, ...], ...]} (Python/JSON lists) or {@code [[2 2 ...] ...]} (numpy's printing), with
 * tile ids {@code X S - ? Q E < > [ ] o} = 0..10 ({@link Alphabet#TILE_IDS}).
 */
public final class IntRows {
    private IntRows() {
    }

    /** Parses int rows into a level; throws {@link LevelFormatException}. */
    public static Level parse(String rows) {
        return LevelParser.parse(toText(rows), Alphabet.VGLC);
    }

    /** Converts int rows to level text in the VGLC alphabet; throws {@link LevelFormatException}. */
    public static String toText(String rows) {
        String text = rows.trim();
        if (!text.startsWith("[") || !text.endsWith("]")) {
            throw new LevelFormatException("level must be a list of int rows like [[2, 2], [0, 0]]");
        }
        StringBuilder level = new StringBuilder();
        int y = 0;
        int pos = 1;
        int end = text.length() - 1;
        while (pos < end) {
            char c = text.charAt(pos);
            if (c == ',' || Character.isWhitespace(c)) {
                pos++;
                continue;
            }
            if (c != '[') {
                throw new LevelFormatException("level must be a list of int rows; found '" + c + "' between rows");
            }
            int close = text.indexOf(']', pos);
            if (close < 0 || close > end) {
                throw new LevelFormatException("row " + y + " is not closed with ]");
            }
            appendRow(text.substring(pos + 1, close), y, level);
            y++;
            pos = close + 1;
        }
        if (y == 0) {
            throw new LevelFormatException("level must be a non-empty list of int rows");
        }
        return level.toString();
    }

    private static void appendRow(String row, int y, StringBuilder level) {
        for (String cell : row.trim().split("[,\\s]+")) {
            if (cell.isEmpty()) {
                continue;
            }
            int id;
            try {
                id = Integer.parseInt(cell);
            } catch (NumberFormatException e) {
                throw new LevelFormatException("row " + y + " has '" + cell + "'; tile ids are ints 0.."
                    + (Alphabet.TILE_IDS.length() - 1));
            }
            if (id < 0 || id >= Alphabet.TILE_IDS.length()) {
                throw new LevelFormatException("row " + y + " has " + id + "; tile ids are ints 0.."
                    + (Alphabet.TILE_IDS.length() - 1));
            }
            level.append(Alphabet.TILE_IDS.charAt(id));
        }
        level.append('\n');
    }
}
