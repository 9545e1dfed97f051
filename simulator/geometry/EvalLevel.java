package geometry;

import engine.Level;
import evaluation.Episode;
import evaluation.Settings;
import io.IntRows;
import io.Json;
import java.util.Map;

/**
 * MarioVAE's command shape: {@code geometry.EvalLevel "<list of int rows>" <max_time> <visualize>}.
 * Plays the level with the A* agent and prints the telemetry JSON as the last line of stdout.
 */
public final class EvalLevel {
    private EvalLevel() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: java -cp simulator.jar geometry.EvalLevel \"[[2, 2, ...], ...]\" "
                + "[max_time_seconds] [visualize true|false]");
            System.exit(2);
        }
        try {
            Settings settings = new Settings();
            if (args.length > 1) {
                settings.timeLimitSeconds = Double.parseDouble(args[1]);
            }
            boolean visualize = args.length > 2 && Boolean.parseBoolean(args[2]);
            if (visualize && !play.GameWindow.canOpen()) {
                System.err.println("warning: no display, evaluating without a window");
                visualize = false;
            }
            settings.validate();
            Level level = IntRows.parse(args[0]);
            Map<String, Object> telemetry = visualize ? play.GameWindow.watch(level, settings)
                : Episode.play(level, settings);
            System.out.println(Json.write(telemetry));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }
}
