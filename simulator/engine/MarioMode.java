package engine;

import java.util.ArrayList;
import java.util.List;

/** Mario's power-up state, ordered from weakest to strongest. */
public enum MarioMode {
    SMALL("small"), LARGE("large"), FIRE("fire");

    public final String label;

    MarioMode(String label) {
        this.label = label;
    }

    /** The labels of the modes, weakest first. */
    public static List<String> labels() {
        List<String> labels = new ArrayList<>();
        for (MarioMode mode : values()) {
            labels.add(mode.label);
        }
        return labels;
    }

    /** The mode named {@code label} ("small", "large", "fire"). */
    public static MarioMode parse(String label) {
        for (MarioMode mode : values()) {
            if (mode.label.equals(label)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown start mode '" + label + "' (expected "
            + String.join(", ", labels()) + ")");
    }
}
