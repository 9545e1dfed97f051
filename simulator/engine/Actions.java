package engine;

/** Mario's buttons as bits of an action mask (several may be pressed at once). */
public final class Actions {
    public static final int LEFT = 1;
    public static final int RIGHT = 1 << 1;
    public static final int DOWN = 1 << 2;
    public static final int SPEED = 1 << 3;
    public static final int JUMP = 1 << 4;
    public static final int NONE = 0;

    private Actions() {
    }

    /** Whether {@code button} is pressed in {@code actions}. */
    public static boolean pressed(int actions, int button) {
        return (actions & button) != 0;
    }
}
