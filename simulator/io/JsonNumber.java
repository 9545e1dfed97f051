package io;

/**
 * A number read from JSON, kept as the token it was written as: {@link Json#write} gives the very
 * same token back (so an id such as {@code 12345678901234567890} or {@code 1e400} is echoed
 * unchanged), while {@link #doubleValue()} gives its value for settings.
 */
public final class JsonNumber extends Number {
    private static final long serialVersionUID = 1L;

    private final String token;
    private final double value;

    JsonNumber(String token) {
        this.token = token;
        this.value = Double.parseDouble(token);
    }

    @Override
    public double doubleValue() {
        return value;
    }

    @Override
    public float floatValue() {
        return (float) value;
    }

    @Override
    public long longValue() {
        return (long) value;
    }

    @Override
    public int intValue() {
        return (int) value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonNumber && ((JsonNumber) other).token.equals(token);
    }

    @Override
    public int hashCode() {
        return token.hashCode();
    }

    /** The JSON token, exactly as read. */
    @Override
    public String toString() {
        return token;
    }
}
