package evaluation;

import agents.Agent;
import engine.Actions;
import engine.GameStatus;
import engine.Level;
import engine.World;
import java.util.ArrayList;
import java.util.List;

/** Plays one level with one agent until it is won, lost or timed out, and reports telemetry. */
public final class Episode {
    /** Called after every tick, e.g. to draw the game. */
    public interface TickListener {
        void afterTick(World world);
    }

    private Episode() {
    }

    /** Plays {@code level} with {@code settings}; returns the telemetry as a flat JSON-ready map. */
    public static java.util.Map<String, Object> play(Level level, Settings settings) {
        return play(level, settings, settings.newAgent(), null);
    }

    /** Plays {@code level} with {@code agent}, calling {@code listener} (may be null) after each tick. */
    public static java.util.Map<String, Object> play(Level level, Settings settings, Agent agent,
            TickListener listener) {
        World world = new World(level, settings.timeLimitMs(), settings.startMode);
        // the reference game runs one idle tick before the agent is first asked
        world.update(Actions.NONE);
        List<float[]> trace = settings.trace ? new ArrayList<>() : null;
        int ticks = 0;
        int stallLimit = settings.stallLimitTicks();
        float furthestX = world.mario.x;
        int ticksSinceProgress = 0;
        boolean stalled = false;
        while (world.status == GameStatus.RUNNING) {
            int actions = agent.act(world);
            world.update(actions);
            ticks++;
            if (world.mario.x >= furthestX + 1) {
                furthestX = world.mario.x;
                ticksSinceProgress = 0;
            } else if (++ticksSinceProgress >= stallLimit && stallLimit > 0 && world.status == GameStatus.RUNNING) {
                world.giveUp();
                stalled = true;
            }
            if (trace != null) {
                trace.add(new float[] {world.mario.x, world.mario.y, world.mario.mode().ordinal()});
            }
            if (listener != null) {
                listener.afterTick(world);
            }
        }
        return Telemetry.of(world, settings, ticks, agent.nodesExpanded(), stalled, trace);
    }
}
