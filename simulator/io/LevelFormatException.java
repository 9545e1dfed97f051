package io;

/** A level text that cannot be parsed: unknown tile, ragged rows, empty, too large. */
public final class LevelFormatException extends IllegalArgumentException {
    public LevelFormatException(String message) {
        super(message);
    }
}
