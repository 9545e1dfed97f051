package io;

import agents.Agents;
import engine.MarioMode;
import engine.Tile;
import engine.World;
import evaluation.Settings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first line `serve` prints: the protocol version and the simulator's facts (agent names, start
 * modes, alphabets, defaults, limits), so that a client checks its requests against this jar instead
 * of keeping its own copy of them (PROTOCOL.md, "Starting a worker").
 */
public final class Handshake {
    private Handshake() {
    }

    /** The handshake of simulator {@code version}. */
    public static Map<String, Object> of(String version) {
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("ready", true);
        hello.put("protocol", Server.PROTOCOL);
        hello.put("simulator", version);
        hello.put("agents", Agents.names());
        hello.put("start_modes", MarioMode.labels());
        Map<String, Object> alphabets = new LinkedHashMap<>();
        for (Alphabet alphabet : Alphabet.values()) {
            alphabets.put(alphabet.label, alphabet.characters());
        }
        hello.put("alphabets", alphabets);
        Map<String, Object> markers = new LinkedHashMap<>();
        markers.put("start", String.valueOf(Alphabet.START));
        markers.put("finish", String.valueOf(Alphabet.FINISH));
        hello.put("markers", markers);
        hello.put("tile_ids", Alphabet.TILE_IDS);
        hello.put("defaults", settings(new Settings()));
        Settings byHand = new Settings();
        byHand.playByHand(false, false);
        Map<String, Object> human = new LinkedHashMap<>();
        human.put("time_limit", byHand.timeLimitSeconds);
        human.put("stall_limit", byHand.stallLimitSeconds);
        hello.put("by_hand", human);
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("tick_seconds", World.TICK_MS / 1000.0);
        limits.put("min_time_limit", Settings.MIN_TIME_LIMIT);
        limits.put("max_time_limit", Settings.MAX_TIME_LIMIT);
        limits.put("max_stall_limit", Settings.MAX_STALL_LIMIT);
        limits.put("max_node_budget", Settings.MAX_NODE_BUDGET);
        limits.put("min_height", LevelParser.MIN_HEIGHT);
        limits.put("max_width", LevelParser.MAX_WIDTH);
        limits.put("max_height", LevelParser.MAX_HEIGHT);
        limits.put("max_tiles", LevelParser.MAX_TILES);
        limits.put("max_line_bytes", Server.MAX_LINE_BYTES);
        hello.put("limits", limits);
        hello.put("tile_pixels", Tile.SIZE);
        return hello;
    }

    /** The request fields of {@code settings}, under their request names. */
    private static Map<String, Object> settings(Settings settings) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("agent", settings.agent);
        fields.put("time_limit", settings.timeLimitSeconds);
        fields.put("node_budget", settings.nodeBudget);
        fields.put("start_mode", settings.startMode.label);
        fields.put("stall_limit", settings.stallLimitSeconds);
        fields.put("trace", settings.trace);
        return fields;
    }
}
