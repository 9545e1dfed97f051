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
import java.awt.Frame;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
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
 * <p>Closing the window (or pressing Esc) ends the game as a timeout, so the caller still gets the
 * telemetry of what was played.
 */
public final class GameWindow extends Canvas implements Episode.TickListener {
    private static final int SCALE = 3;
    private final Frame frame;
    private long nextFrame;
    private volatile boolean closing;

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
                if (e.getKeyCode() == KeyEvent.VK_ESCAPE) {
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
     * Writes a PNG picture of {@code level} as it starts (works without a display).
     *
     * @throws java.io.IOException if the file cannot be written
     */
    public static void snapshot(Level level, Settings settings, java.nio.file.Path path) throws java.io.IOException {
        World world = new World(level, settings.timeLimitMs(), settings.startMode);
        world.update(engine.Actions.NONE);
        TileArt.writeImage(world, path);
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
            return Episode.play(level, settings, agent, window);
        } finally {
            window.frame.dispose();
        }
    }

    @Override
    public void afterTick(World world) {
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
