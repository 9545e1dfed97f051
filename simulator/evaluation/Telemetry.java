package evaluation;

import engine.GameStatus;
import engine.SpriteKind;
import engine.Stats;
import engine.Tile;
import engine.World;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The flat telemetry object of one game; every key is documented in simulator/PROTOCOL.md. */
public final class Telemetry {
    private Telemetry() {
    }

    /** Telemetry of the finished game {@code world} after {@code ticks} agent steps. */
    public static Map<String, Object> of(World world, Settings settings, int ticks, long nodesExpanded,
            boolean stalled, float maxX, List<float[]> trace, List<float[]> spriteTrace) {
        Stats stats = world.stats();
        float marioX = world.marioX();
        float finishX = world.level().finishX();
        double totalTime = settings.timeLimitSeconds;

        Map<String, Object> t = new LinkedHashMap<>();
        t.put("marioStatus", world.status() == GameStatus.WIN ? 1 : 0);
        t.put("lengthOfLevelPassedPhys", marioX);
        t.put("totalLengthOfLevelPassedPhys", world.level().widthPixels());
        t.put("lengthOfLevelPassedCells", Math.max(0, (int) (marioX / Tile.SIZE)));
        t.put("totalLengthOfLevelPassedCells", world.level().width);
        t.put("timeSpentOnLevel", (int) ((long) ticks * World.TICK_MS / 1000));
        t.put("totalTimeGiven", totalTime == Math.rint(totalTime) ? (Object) (long) totalTime : totalTime);
        t.put("numberOfGainedCoins", stats.coins);
        t.put("totalActionsPerformed", ticks);
        t.put("jumpActionsPerformed", stats.jumps);
        t.put("status", world.status().label);
        t.put("completion", completion(world));
        Map<String, Object> kills = new LinkedHashMap<>();
        for (int i = 0; i < SpriteKind.KILL_KINDS.length; i++) {
            kills.put(SpriteKind.KILL_KINDS[i], stats.kills[i]);
        }
        t.put("kills", kills);
        t.put("kills_total", stats.killsTotal());
        Map<String, Object> killsBy = new LinkedHashMap<>();
        for (int i = 0; i < SpriteKind.KILL_METHODS.length; i++) {
            killsBy.put(SpriteKind.KILL_METHODS[i], stats.killsByMethod[i]);
        }
        t.put("kills_by", killsBy);
        t.put("fall_kills", stats.fallKills);
        t.put("hurts", stats.hurts);
        t.put("final_mode", world.marioMode().label);
        t.put("coins", stats.coins);
        t.put("tile_coins", stats.tileCoins);
        t.put("jumps", stats.jumps);
        t.put("max_jump_length", stats.maxJumpLength);
        t.put("max_air_time", stats.maxAirTime);
        List<Object> lengths = new ArrayList<>();
        for (float length : stats.jumpLengths()) {
            lengths.add(length);
        }
        t.put("jump_lengths", lengths);
        List<Object> airTimes = new ArrayList<>();
        for (int airTime : stats.jumpAirTimes()) {
            airTimes.add(airTime);
        }
        t.put("jump_air_times", airTimes);
        t.put("ticks", ticks);
        t.put("game_time", ticks * World.TICK_MS / 1000.0);
        t.put("mario_x", marioX);
        t.put("max_x", maxX);
        t.put("mario_y", world.marioY());
        t.put("finish_x", finishX);
        t.put("mushrooms", stats.mushrooms);
        t.put("flowers", stats.flowers);
        t.put("blocks_bumped", stats.bumps);
        t.put("bricks_broken", stats.bricksBroken);
        t.put("lives_gained", stats.lives);
        t.put("stalled", stalled);
        t.put("nodes_expanded", nodesExpanded);
        t.put("agent", settings.agent);
        if (trace != null) {
            List<Object> points = new ArrayList<>(trace.size());
            for (float[] p : trace) {
                List<Object> point = new ArrayList<>(3);
                point.add(p[0]);
                point.add(p[1]);
                point.add((int) p[2]);
                points.add(point);
            }
            t.put("trace", points);
        }
        if (spriteTrace != null) {
            t.put("sprite_trace", spritesByTick(spriteTrace));
        }
        return t;
    }

    /** Each tick's flat {kind, x, y, flags} values as one {@code [kind, x, y, flags]} list per sprite. */
    private static List<Object> spritesByTick(List<float[]> spriteTrace) {
        List<Object> ticks = new ArrayList<>(spriteTrace.size());
        for (float[] values : spriteTrace) {
            List<Object> sprites = new ArrayList<>(values.length / 4);
            for (int i = 0; i < values.length; i += 4) {
                sprites.add(List.of((int) values[i], values[i + 1], values[i + 2], (int) values[i + 3]));
            }
            ticks.add(sprites);
        }
        return ticks;
    }

    /**
     * How far Mario got towards the finish, 0 to 1, exactly 1 for a win. Over the whole level it is
     * his x over the finish's x in float arithmetic, as the Mario AI Framework computes it (so the
     * digits are the reference's); over a segment ({@link engine.Level#segmentStart}) it is his x past
     * the segment's left edge over the finish's, in double from {@code mario_x} as the telemetry
     * prints it, so a reader of the JSON gets the same number from {@code mario_x} and {@code finish_x}.
     */
    static double completion(World world) {
        if (world.status() == GameStatus.WIN) {
            return 1.0;
        }
        float marioX = world.marioX();
        float finishX = world.level().finishX();
        int segmentStart = world.level().segmentStart;
        if (segmentStart == engine.Level.WHOLE_LEVEL) {
            return finishX <= 0 ? 0.0 : Math.max(0.0, Math.min(1.0, marioX / finishX));
        }
        double left = (double) segmentStart * Tile.SIZE;
        if (finishX <= left) {
            return 0.0;
        }
        double printedX = Double.parseDouble(Float.toString(marioX));
        return Math.min(1.0, Math.max(0.0, (printedX - left) / (finishX - left)));
    }
}
