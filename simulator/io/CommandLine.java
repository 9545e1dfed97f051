package io;

import engine.MarioMode;
import evaluation.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Options of the `eval` and `play` modes. */
public final class CommandLine {
    public static final String OPTIONS = "[--alphabet vglc|mario-ai] [--agent NAME] [--time-limit SECONDS] "
        + "[--node-budget N] [--start-mode small|large|fire] [--stall-limit SECONDS] [--segment-start COLUMN] "
        + "[--trace] [--visualize] "
        + "(LEVEL_FILE | -)";

    public final Settings settings = new Settings();
    /** The tile alphabet of the level text. */
    public Alphabet alphabet = Alphabet.VGLC;
    /** The column from which completion is measured, or {@link engine.Level#WHOLE_LEVEL}. */
    public int segmentStart = engine.Level.WHOLE_LEVEL;
    public boolean visualize;
    public String levelPath;
    private final Set<String> given = new HashSet<>();

    /** Parses {@code args} (after the mode word); throws {@link IllegalArgumentException}. */
    public static CommandLine parse(String[] args, int from) {
        CommandLine line = new CommandLine();
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            line.given.add(arg);
            switch (arg) {
                case "--alphabet": line.alphabet = Alphabet.parse(value(args, ++i, arg)); break;
                case "--agent": line.settings.agent = value(args, ++i, arg); break;
                case "--time-limit": line.settings.timeLimitSeconds = number(value(args, ++i, arg), arg); break;
                case "--node-budget": line.settings.nodeBudget = integer(value(args, ++i, arg), arg); break;
                case "--start-mode": line.settings.startMode = MarioMode.parse(value(args, ++i, arg)); break;
                case "--stall-limit":
                    line.settings.stallLimitSeconds = number(value(args, ++i, arg), arg);
                    break;
                case "--segment-start":
                    line.segmentStart = integer(value(args, ++i, arg), arg);
                    if (line.segmentStart < 0) {
                        throw new IllegalArgumentException(arg + " needs a column >= 0, got " + line.segmentStart);
                    }
                    break;
                case "--trace": line.settings.trace = true; break;
                case "--visualize": line.visualize = true; break;
                default:
                    if (arg.startsWith("--") || line.levelPath != null) {
                        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                    }
                    line.levelPath = arg;
            }
        }
        if (line.levelPath == null) {
            throw new IllegalArgumentException("missing level file (or - for stdin)");
        }
        return line;
    }

    /** Whether {@code option} (e.g. "--agent") was on the command line. */
    public boolean given(String option) {
        return given.contains(option);
    }

    /** The level the file (or stdin) holds, parsed in {@link #alphabet} with {@link #segmentStart}. */
    public engine.Level readParsedLevel() throws IOException {
        return LevelParser.parse(readLevel(), alphabet, segmentStart);
    }

    /** The level text from the file, or from stdin for "-". */
    public String readLevel() throws IOException {
        if ("-".equals(levelPath)) {
            return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return Files.readString(Path.of(levelPath), StandardCharsets.UTF_8);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int integer(String text, String option) {
        double value = number(text, option);
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " needs an integer, got '" + text + "'");
        }
        return (int) value;
    }

    private static double number(String text, String option) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + text + "'");
        }
    }
}
