package geometry;

import engine.Level;
import evaluation.Settings;
import io.IntRows;
import io.Json;

/** MarioVAE's command shape: {@code geometry.PlayLevel "<list of int rows>"}: play it at the keyboard. */
public final class PlayLevel {
    private PlayLevel() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java -cp simulator.jar geometry.PlayLevel \"[[2, 2, ...], ...]\"");
            System.exit(2);
        }
        try {
            Settings settings = new Settings();
            settings.playByHand(false, false);
            Level level = IntRows.parse(args[0]);
            System.out.println(Json.write(play.GameWindow.watch(level, settings)));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }
}
