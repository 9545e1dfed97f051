package io;

/**
 * Levels written as a Python/JSON list of int rows in the VAE alphabet, as MarioVAE passes them:
 * {@code [[2, 2, ...], ...]} with ids {@code X S - ? Q E < > [ ] o} = 0..10.
 */
public final class IntRows {
    /** The VAE tile characters by id. */
    public static final String VAE_TILES = "XS-?QE<>[]o";

    private IntRows() {
    }

    /** Converts an int-row list to level text in the VGLC alphabet; throws {@link LevelFormatException}. */
    public static String toText(String rows) {
        Object json;
        try {
            json = Json.parse(rows.trim());
        } catch (IllegalArgumentException e) {
            throw new LevelFormatException("level must be a list of int rows like [[2, 2], [0, 0]]: "
                + e.getMessage());
        }
        if (!(json instanceof java.util.List) || ((java.util.List<?>) json).isEmpty()) {
            throw new LevelFormatException("level must be a non-empty list of int rows");
        }
        StringBuilder text = new StringBuilder();
        int y = 0;
        for (Object row : (java.util.List<?>) json) {
            if (!(row instanceof java.util.List)) {
                throw new LevelFormatException("row " + y + " is not a list of ints");
            }
            for (Object cell : (java.util.List<?>) row) {
                if (!(cell instanceof Long) || (Long) cell < 0 || (Long) cell >= VAE_TILES.length()) {
                    throw new LevelFormatException("row " + y + " has " + cell + "; tile ids are ints 0.."
                        + (VAE_TILES.length() - 1));
                }
                text.append(VAE_TILES.charAt((int) (long) (Long) cell));
            }
            text.append('\n');
            y++;
        }
        return text.toString();
    }
}
