import engine.Level;
import evaluation.Episode;
import io.CommandLine;
import io.Json;
import io.Server;
import java.io.IOException;

/** Entry point of the simulator jar: `serve`, `eval`, `play` and `version` modes. */
public final class Main {
    /** Version of the simulator, reported by `version` and the `serve` handshake. */
    public static final String VERSION = "gym-mario-latent-simulator 0.1.0";

    private static final String USAGE = String.join("\n",
        "usage: java -jar simulator.jar serve",
        "       java -jar simulator.jar eval " + CommandLine.OPTIONS,
        "       java -jar simulator.jar play " + CommandLine.OPTIONS,
        "       java -jar simulator.jar snapshot " + CommandLine.OPTIONS + " (OUT.png | -)",
        "       java -jar simulator.jar version",
        "  serve: newline-delimited JSON requests on stdin, one JSON reply per line (see PROTOCOL.md)",
        "  eval:  plays one level headless (window with --visualize), prints its telemetry JSON",
        "  play:  opens a window; arrows move, s jumps, a runs/fires, Esc ends (--agent astar to watch the A* agent)",
        "  snapshot: writes a PNG of the level as it starts to OUT.png, or to stdout for - (no display needed)");

    /** How often a JVM checks that the process that started it is still there, in milliseconds. */
    public static final int PARENT_CHECK_MS = 200;
    /** Exit code of a JVM that ended because the process that started it was gone. */
    public static final int EXIT_PARENT_GONE = 3;

    private Main() {
    }

    /**
     * Ends this JVM (even in the middle of a game) once the process that started it is gone, e.g. a
     * Python parent that was killed: the JVM is then handed to another parent, which a daemon thread
     * notices within {@link #PARENT_CHECK_MS}.
     */
    private static void exitWithParent() {
        long parent = parentPid();
        Thread watchdog = new Thread(() -> {
            while (parentPid() == parent) {
                try {
                    Thread.sleep(PARENT_CHECK_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(EXIT_PARENT_GONE);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static long parentPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        exitWithParent();
        try {
            switch (args[0]) {
                case "serve": new Server(System.in, System.out).run(VERSION); break;
                case "eval": eval(CommandLine.parse(args, 1)); break;
                case "play": play(CommandLine.parse(args, 1)); break;
                case "snapshot": snapshot(args); break;
                case "version": System.out.println(VERSION); break;
                case "-h": case "--help": case "help": System.out.println(USAGE); break;
                default:
                    System.err.println("unknown mode '" + args[0] + "'\n" + USAGE);
                    System.exit(2);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void eval(CommandLine line) throws IOException {
        line.settings.validate();
        Level level = line.readParsedLevel();
        boolean window = line.visualize && play.GameWindow.canOpen();
        if (line.visualize && !window) {
            System.err.println("warning: no display, evaluating without a window");
        }
        System.out.println(Json.write(window ? play.GameWindow.watch(level, line.settings)
            : Episode.play(level, line.settings)));
    }

    private static void snapshot(String[] args) throws IOException {
        if (args.length < 3) {
            throw new IllegalArgumentException("snapshot needs a level file (or -) and an output PNG path (or -)");
        }
        CommandLine line = CommandLine.parse(java.util.Arrays.copyOf(args, args.length - 1), 1);
        Level level = line.readParsedLevel();
        String target = args[args.length - 1];
        try (java.io.OutputStream out = target.equals("-") ? System.out
                : java.nio.file.Files.newOutputStream(java.nio.file.Path.of(target))) {
            play.GameWindow.snapshot(level, line.settings, out);
        } catch (IOException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String reason = cause instanceof java.nio.file.FileSystemException named && named.getReason() != null
                ? named.getReason() : cause.getMessage(); // without the path a FileSystemException repeats
            throw new IllegalStateException("cannot write " + target + ": " + reason);
        }
    }

    private static void play(CommandLine line) throws IOException {
        if (!line.given("--agent")) {
            line.settings.playByHand(line.given("--time-limit"), line.given("--stall-limit"));
        }
        line.settings.validateNumbers();
        Level level = line.readParsedLevel();
        System.out.println(Json.write(play.GameWindow.watch(level, line.settings)));
    }
}
