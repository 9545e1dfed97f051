package evaluation;

import agents.Agent;
import engine.Actions;
import engine.GameStatus;
import engine.Level;
import engine.Sprite;
import engine.World;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import sprites.Enemy;

/** Plays one level with one agent until it is won, lost or timed out, and reports telemetry. */
public final class Episode {
    /** Flag of a sprite in the sprite trace that faces left. */
    static final int FACES_LEFT = 1;
    /** Flag of a winged enemy in the sprite trace that still has its wings. */
    static final int HAS_WINGS = 2;

    /** Called after every tick, e.g. to draw the game. */
    public interface TickListener {
        void afterTick(World world);
    }

    private Episode() {
    }

    /** Plays {@code level} with {@code settings}; returns the telemetry as a flat JSON-ready map. */
    public static Map<String, Object> play(Level level, Settings settings) {
        return play(level, settings, settings.newAgent(), null);
    }

    /** Plays {@code level} with {@code agent}, calling {@code listener} (may be null) after each tick. */
    public static Map<String, Object> play(Level level, Settings settings, Agent agent, TickListener listener) {
        World world = new World(level, settings.timeLimitMs(), settings.startMode);
        // the reference game runs one idle tick before the agent is first asked
        world.update(Actions.NONE);
        List<float[]> trace = settings.trace ? new ArrayList<>() : null;
        List<float[]> spriteTrace = settings.trace ? new ArrayList<>() : null;
        StallWatch stall = new StallWatch(world.marioX(), settings.stallLimitTicks());
        int ticks = 0;
        while (world.status() == GameStatus.RUNNING) {
            // the agent gets a copy: whatever it does with it, this game stays as it is
            world.update(agent.act(world.copy()));
            ticks++;
            if (world.status() == GameStatus.RUNNING && stall.stuckAfter(world.marioX())) {
                world.giveUp();
            }
            if (trace != null) {
                trace.add(new float[] {world.marioX(), world.marioY(), world.marioMode().ordinal()});
                spriteTrace.add(spritesOf(world));
            }
            if (listener != null) {
                listener.afterTick(world);
            }
        }
        float maxX = Math.max(stall.maxX, world.marioX());
        return Telemetry.of(world, settings, ticks, agent.nodesExpanded(), stall.stalled, maxX, trace,
            spriteTrace);
    }

    /**
     * Every live sprite but Mario, in update order, as {kind, x, y, flags} after another: the kind's
     * ordinal, the middle of its feet, {@link #FACES_LEFT} and {@link #HAS_WINGS}.
     */
    private static float[] spritesOf(World world) {
        List<Sprite> sprites = world.sprites();
        float[] values = new float[4 * sprites.size()];
        int n = 0;
        for (Sprite sprite : sprites) {
            if (sprite == world.mario() || !sprite.alive) {
                continue;
            }
            boolean wings = sprite instanceof Enemy && ((Enemy) sprite).isWinged();
            values[n++] = sprite.kind.ordinal();
            values[n++] = sprite.x;
            values[n++] = sprite.y;
            values[n++] = (sprite.facing < 0 ? FACES_LEFT : 0) | (wings ? HAS_WINGS : 0);
        }
        return Arrays.copyOf(values, n);
    }

    /** Notices when Mario has not got a pixel further right for a number of ticks; keeps his furthest x. */
    private static final class StallWatch {
        private final int limit;
        private float furthestX;
        private int ticksWithoutProgress;
        boolean stalled;
        float maxX;

        StallWatch(float startX, int limit) {
            this.furthestX = startX;
            this.maxX = startX;
            this.limit = limit;
        }

        /** Records Mario's x after a tick; true once the stall limit (if any) is reached. */
        boolean stuckAfter(float x) {
            maxX = Math.max(maxX, x);
            if (x >= furthestX + 1) {
                furthestX = x;
                ticksWithoutProgress = 0;
                return false;
            }
            ticksWithoutProgress++;
            stalled = limit > 0 && ticksWithoutProgress >= limit;
            return stalled;
        }
    }
}
