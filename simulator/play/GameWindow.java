package play;

import agents.Agent;
import engine.Level;
import engine.World;
import evaluation.Episode;
import evaluation.Settings;
import java.awt.AWTError;
import java.awt.Canvas;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Frame;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.awt.RenderingHints;
import java.awt.event.KeyAdapter;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.image.BufferStrategy;
import java.util.Map;

/**
 * A window showing a game in real time (one tick per 30 ms), played by a human at the keyboard or
 * watched while an agent plays. The only class that touches AWT.
 *
 * <p>Closing the window (or pressing Esc) during the game ends it as a timeout and closes the window,
 * so the caller still gets the telemetry of what was played. A game that ends by itself (won, lost,
 * out of time) stays on a result screen (status, completion, time) until a key is pressed or the
 * window is closed; the window's title then ends in {@link #RESULT_TITLE}.
 */
public final class GameWindow extends Canvas implements Episode.TickListener {
    /** The end of the window's title while it shows the result screen. */
    public static final String RESULT_TITLE = " - press any key to close";
    private static final int SCALE = 3;
    /** Keys pressed this soon after the result shows are ignored (a key still held from the game). */
    private static final long RESULT_KEY_GRACE_MS = 600;
    private static final Color RESULT_BACKGROUND = new Color(0, 0, 0, 210);
    private final Frame frame;
    private long nextFrame;
    private volatile boolean closing;
    /** When the result screen appeared (ms), or 0 during the game. */
    private volatile long resultShownAt;
    private World lastWorld;

    private GameWindow(String title, KeyboardAgent keyboard) {
        setPreferredSize(new Dimension(World.SCREEN_PIXELS * SCALE, 14 * engine.Tile.SIZE * SCALE));
        frame = new Frame(title);
        frame.add(this);
        frame.pack();
        frame.setResizable(false);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                closing = true;
            }
        });
        addKeyListener(new KeyAdapter() {
            @Override
            public void keyPressed(KeyEvent e) {
                boolean resultKey = resultShownAt > 0
                    && System.currentTimeMillis() - resultShownAt >= RESULT_KEY_GRACE_MS;
                if (e.getKeyCode() == KeyEvent.VK_ESCAPE || resultKey) {
                    closing = true;
                }
            }
        });
        if (keyboard != null) {
            addKeyListener(keyboard);
        }
        frame.setVisible(true);
        requestFocus();
        createBufferStrategy(2);
        nextFrame = System.currentTimeMillis();
    }

    /**
     * Writes a PNG picture of {@code level} as it starts to {@code out} (works without a display).
     *
     * @throws java.io.IOException if it cannot be written
     */
    public static void snapshot(Level level, Settings settings, java.io.OutputStream out) throws java.io.IOException {
        World world = new World(level, settings.timeLimitMs(), settings.startMode);
        world.update(engine.Actions.NONE);
        TileArt.writeImage(world, out);
    }

    /** Whether a window can be opened (a display is available and answers). */
    public static boolean canOpen() {
        return displayProblem() == null;
    }

    /** Why no window can be opened (no DISPLAY, headless AWT, an X server that does not answer), or null. */
    private static String displayProblem() {
        if (GraphicsEnvironment.isHeadless()) {
            return "a window needs a display (DISPLAY is not set or AWT is headless)";
        }
        try {
            GraphicsEnvironment.getLocalGraphicsEnvironment().getDefaultScreenDevice();
            return null;
        } catch (AWTError | HeadlessException e) {
            return "a window needs a display; " + e.getMessage();
        }
    }

    /** Plays {@code level} in a window (agent "human" reads the keyboard) and returns the telemetry. */
    public static Map<String, Object> watch(Level level, Settings settings) {
        String problem = displayProblem();
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        KeyboardAgent keyboard = "human".equals(settings.agent) ? new KeyboardAgent() : null;
        Agent agent = keyboard != null ? keyboard : settings.newAgent();
        GameWindow window = new GameWindow("gym-mario-latent: " + settings.agent, keyboard);
        try {
            Map<String, Object> telemetry = Episode.play(level, settings, agent, window);
            if (!window.closing) {
                window.showResult(telemetry);
            }
            return telemetry;
        } finally {
            window.frame.dispose();
        }
    }

    /** Shows the result over the last frame until a key is pressed or the window is closed. */
    private void showResult(Map<String, Object> telemetry) {
        String status = String.valueOf(telemetry.get("status"));
        frame.setTitle(frame.getTitle() + ": " + status + RESULT_TITLE);
        String[] lines = {
            resultHeadline(status, Boolean.TRUE.equals(telemetry.get("stalled"))),
            String.format("completion %.0f %%", 100 * ((Number) telemetry.get("completion")).doubleValue()),
            String.format("time %.1f s of %s s", ((Number) telemetry.get("game_time")).doubleValue(),
                telemetry.get("totalTimeGiven")),
            "press any key to close",
        };
        resultShownAt = System.currentTimeMillis();
        while (!closing) {
            // drawn again and again: the picture may be lost when the window is covered or moved
            Graphics2D g = (Graphics2D) getBufferStrategy().getDrawGraphics();
            g.scale(SCALE, SCALE);
            if (lastWorld != null) { // null when the game ended before its first frame (a one-tick limit)
                TileArt.drawScene(g, lastWorld, (int) lastWorld.cameraX(), World.SCREEN_PIXELS);
            }
            drawResult(g, lines, getHeight() / SCALE);
            g.dispose();
            getBufferStrategy().show();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String resultHeadline(String status, boolean stalled) {
        switch (status) {
            case "win": return "Mario reached the finish";
            case "lose": return "Mario died";
            default: return stalled ? "Time out: Mario got no further" : "Time out";
        }
    }

    /** A dark box in the middle of the screen with the result's lines, the first one larger. */
    private static void drawResult(Graphics2D g, String[] lines, int screenHeight) {
        int width = 200;
        int height = 22 + 14 * lines.length;
        int left = (World.SCREEN_PIXELS - width) / 2;
        int top = (screenHeight - height) / 2;
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(RESULT_BACKGROUND);
        g.fillRoundRect(left, top, width, height, 10, 10);
        Font plain = g.getFont().deriveFont(Font.PLAIN, 10f);
        for (int i = 0; i < lines.length; i++) {
            g.setFont(i == 0 ? plain.deriveFont(Font.BOLD, 13f) : plain);
            g.setColor(i == lines.length - 1 ? Color.LIGHT_GRAY : Color.WHITE);
            int textWidth = g.getFontMetrics().stringWidth(lines[i]);
            g.drawString(lines[i], left + (width - textWidth) / 2, top + 20 + 14 * i + (i > 0 ? 4 : 0));
        }
    }

    @Override
    public void afterTick(World world) {
        lastWorld = world;
        if (closing) {
            world.giveUp();
        }
        BufferStrategy strategy = getBufferStrategy();
        Graphics2D g = (Graphics2D) strategy.getDrawGraphics();
        g.scale(SCALE, SCALE);
        TileArt.drawScene(g, world, (int) world.cameraX(), World.SCREEN_PIXELS);
        g.setColor(Color.WHITE);
        g.drawString("time " + Math.max(0, world.timeLeftMs() / 1000) + "  coins " + world.stats().coins, 4, 12);
        g.dispose();
        strategy.show();
        nextFrame += World.TICK_MS;
        long sleep = nextFrame - System.currentTimeMillis();
        if (sleep > 0) {
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
