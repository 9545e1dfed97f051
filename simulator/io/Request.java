package io;

import engine.MarioMode;
import evaluation.Settings;
import java.util.Map;
import java.util.Set;

/**
 * One `serve` request: the level text, its {@link Alphabet}, the column its segment starts at and its
 * {@link Settings}, read from a JSON object.
 */
public final class Request {
    private static final Set<String> FIELDS = Set.of("id", "level", "alphabet", "agent", "time_limit",
        "node_budget", "start_mode", "trace", "stall_limit", "segment_start");

    public final Object id;
    public final String level;
    public final Alphabet alphabet;
    /** The column from which completion is measured, or {@link engine.Level#WHOLE_LEVEL}. */
    public final int segmentStart;
    public final Settings settings;

    private Request(Object id, String level, Alphabet alphabet, int segmentStart, Settings settings) {
        this.id = id;
        this.level = level;
        this.alphabet = alphabet;
        this.segmentStart = segmentStart;
        this.settings = settings;
    }

    /** The id of a parsed request line if it has a scalar one, else null (for error replies). */
    public static Object idOf(Object json) {
        if (json instanceof Map) {
            Object id = ((Map<?, ?>) json).get("id");
            if (id == null || id instanceof String || id instanceof Number || id instanceof Boolean) {
                return id;
            }
        }
        return null;
    }

    /** Reads a request from parsed JSON; throws {@link IllegalArgumentException} naming the bad field. */
    public static Request from(Object json) {
        if (!(json instanceof Map)) {
            throw new IllegalArgumentException("a request must be a JSON object");
        }
        Map<?, ?> fields = (Map<?, ?>) json;
        for (Object key : fields.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new IllegalArgumentException("unknown field '" + key + "' (known: " + String.join(", ",
                    new java.util.TreeSet<>(FIELDS)) + ")");
            }
        }
        Object id = fields.get("id");
        if (id != null && !(id instanceof String || id instanceof Number || id instanceof Boolean)) {
            throw new IllegalArgumentException("id must be a JSON scalar (string, number, boolean or null)");
        }
        Object level = fields.get("level");
        if (!(level instanceof String)) {
            throw new IllegalArgumentException("level is required: a string of tile rows separated by \\n");
        }
        Alphabet alphabet = Alphabet.parse(string(fields, "alphabet", Alphabet.VGLC.label));
        double segmentStart = number(fields, "segment_start", engine.Level.WHOLE_LEVEL);
        if (fields.get("segment_start") != null && (segmentStart != Math.rint(segmentStart) || segmentStart < 0)) {
            throw new IllegalArgumentException("segment_start must be a column: an integer >= 0, got " + segmentStart);
        }
        Settings settings = new Settings();
        settings.agent = string(fields, "agent", settings.agent);
        settings.timeLimitSeconds = number(fields, "time_limit", settings.timeLimitSeconds);
        double budget = number(fields, "node_budget", settings.nodeBudget);
        if (budget != Math.rint(budget)) {
            throw new IllegalArgumentException("node_budget must be an integer, got " + budget);
        }
        settings.nodeBudget = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, budget));
        settings.stallLimitSeconds = number(fields, "stall_limit", settings.stallLimitSeconds);
        settings.startMode = MarioMode.parse(string(fields, "start_mode", settings.startMode.label));
        Object trace = fields.get("trace");
        if (trace != null && !(trace instanceof Boolean)) {
            throw new IllegalArgumentException("trace must be true or false");
        }
        settings.trace = Boolean.TRUE.equals(trace);
        settings.validate();
        int column = (int) Math.min(Integer.MAX_VALUE, segmentStart);
        return new Request(id, (String) level, alphabet, column, settings);
    }

    private static String string(Map<?, ?> fields, String name, String fallback) {
        String value = field(fields, name, String.class, "a string");
        return value == null ? fallback : value;
    }

    private static double number(Map<?, ?> fields, String name, double fallback) {
        Number value = field(fields, name, Number.class, "a number");
        return value == null ? fallback : value.doubleValue();
    }

    /** Field {@code name} as a {@code type}, null when absent; an error saying it must be {@code what}. */
    private static <T> T field(Map<?, ?> fields, String name, Class<T> type, String what) {
        Object value = fields.get(name);
        if (value != null && !type.isInstance(value)) {
            throw new IllegalArgumentException(name + " must be " + what);
        }
        return type.cast(value);
    }
}
