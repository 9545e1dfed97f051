import agents.Agent;
import agents.NoopAgent;
import agents.astar.OpenSetCheck;
import engine.Actions;
import engine.Level;
import engine.MarioMode;
import engine.Tile;
import engine.World;
import evaluation.Episode;
import evaluation.Settings;
import io.Alphabet;
import io.Json;
import io.LevelFormatException;
import io.LevelParser;
import java.util.List;
import java.util.Map;

/**
 * Java-side checks of internals the jar's modes do not show directly: the forward model's copies,
 * the terrain's copy-on-write, the JSON reader/writer, the A* open set. Run by
 * tests/test_simulator_java.py; exits non-zero with a message on the first failure.
 */
public final class SimulatorChecks {
    private SimulatorChecks() {
    }

    public static void main(String[] args) {
        copiesOfAGameAreIndependent();
        agentsCannotChangeTheGameTheyPlay();
        terrainCopiesDoNotShareChangedTiles();
        jsonRoundTripsEveryType();
        jsonRejectsBadInput();
        levelParserNamesTheProblem();
        redKoopasTurnAtLedgesGreenOnesWalkOff();
        wingedGoombasHop();
        piranhaPlantsRiseTwentyPixels();
        kickedShellsSlideAndKill();
        spriteTraceListsTheLiveSprites();
        OpenSetCheck.run();
        System.out.println("ok");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    private static Level level(String text) {
        return LevelParser.parse(text, Alphabet.MARIO_AI);
    }

    private static void copiesOfAGameAreIndependent() {
        String sky = "-".repeat(30) + "\n";
        String text = sky + "-----?" + "-".repeat(24) + "\n" + sky + sky + "-".repeat(12) + "E" + "-".repeat(17) + "\n"
            + "X".repeat(30) + "\n";
        World game = new World(level(text), 20000, MarioMode.SMALL);
        game.update(Actions.NONE);
        World copy = game.copy();
        for (int i = 0; i < 10; i++) {
            copy.update(Actions.RIGHT | Actions.SPEED);
        }
        check(game.tick() == 1 && copy.tick() == 11, "ticks advance separately: " + game.tick() + ", " + copy.tick());
        check(game.mario().x != copy.mario().x, "Mario moves only in the copy");
        check(game.mario() != copy.mario(), "Mario is copied, not shared");
        World again = game.copy();
        for (int i = 0; i < 10; i++) {
            again.update(Actions.RIGHT | Actions.SPEED);
        }
        check(again.mario().x == copy.mario().x && again.mario().y == copy.mario().y
            && again.status() == copy.status() && again.sprites().size() == copy.sprites().size(),
            "two copies played the same way end the same");
    }

    /** An agent that plays ahead on its model, as a search does, leaves the game it plays alone. */
    private static void agentsCannotChangeTheGameTheyPlay() {
        Level level = level("----------\n----------\nM-----g---\nXXXXXXXXXX\n");
        Settings settings = new Settings();
        settings.timeLimitSeconds = 3;
        Agent meddler = model -> {
            for (int i = 0; i < 5; i++) {
                model.advance(Actions.RIGHT | Actions.JUMP);
            }
            return Actions.NONE;
        };
        Map<String, Object> meddled = Episode.play(level, settings, meddler, null);
        Map<String, Object> idle = Episode.play(level, settings, new NoopAgent(), null);
        check(meddled.equals(idle), "a meddling agent's game is the idle game: " + meddled.get("status") + " at x "
            + meddled.get("mario_x") + " vs " + idle.get("status") + " at x " + idle.get("mario_x"));
        check("lose".equals(idle.get("status")), "the goomba reaches idle Mario: " + idle.get("status"));
    }

    private static void terrainCopiesDoNotShareChangedTiles() {
        World game = new World(level("-----\n--S--\n-----\nXXXXX\n"), 20000, MarioMode.LARGE);
        World copy = game.copy();
        copy.terrain().setTile(2, 1, Tile.EMPTY);
        check(game.terrain().tile(2, 1) == Tile.BRICK, "the original keeps its brick");
        check(copy.terrain().tile(2, 1) == Tile.EMPTY, "the copy lost its brick");
        check(game.terrain().tile(-5, 3) == Tile.GROUND && game.terrain().tile(99, 3) == Tile.GROUND,
            "columns outside repeat the edge columns");
        check(game.terrain().tile(0, -1) == Tile.EMPTY && game.terrain().tile(0, 4) == Tile.EMPTY,
            "rows outside are empty");
    }

    private static void jsonRoundTripsEveryType() {
        String text = "{\"a\":1,\"b\":-2.5,\"c\":\"x\\\"\\n\\u00e9\",\"d\":[true,false,null],\"e\":{}}";
        Object value = Json.parse(text);
        check(value instanceof Map, "object");
        Map<?, ?> map = (Map<?, ?>) value;
        check(((Number) map.get("a")).longValue() == 1, "integer");
        check(((Number) map.get("b")).doubleValue() == -2.5, "decimal");
        check("x\"\n\u00e9".equals(map.get("c")), "string escapes");
        check(List.of(true, false).equals(((List<?>) map.get("d")).subList(0, 2)), "array");
        check(Json.write(value).equals(text.replace("\\u00e9", "\u00e9")), "write(parse(t)) == t");
        check(Json.write(Float.NaN).equals("null") && Json.write(3.0f).equals("3.0"), "float output");
        String numbers = "[12345678901234567890,1e400,-0,1.50E+3]";
        check(Json.write(Json.parse(numbers)).equals(numbers), "numbers are written back as read");
    }

    private static void jsonRejectsBadInput() {
        for (String bad : new String[] {"", "{", "[1,]", "{\"a\" 1}", "01x", "\"\\q\"", "[1] 2", "tru", "01", "1.",
            "-", "1e", "[.5]", "[+1]", "1.e5", "--1"}) {
            try {
                Json.parse(bad);
                throw new AssertionError("accepted bad JSON " + bad);
            } catch (IllegalArgumentException expected) {
                check(expected.getMessage().startsWith("invalid JSON"), "message names JSON");
            }
        }
        try {
            Json.parse("[".repeat(100) + "]".repeat(100));
            throw new AssertionError("accepted JSON nested 100 deep");
        } catch (IllegalArgumentException expected) {
            check(expected.getMessage().contains("nested"), "depth message");
        }
    }

    /** A world on {@code text} with Mario far to the left so enemies are left alone, after n idle ticks. */
    private static World idle(String text, int ticks) {
        World game = new World(level(text), 60000, MarioMode.SMALL);
        for (int i = 0; i < ticks; i++) {
            game.update(Actions.NONE);
        }
        return game;
    }

    private static engine.Sprite only(World game, engine.SpriteKind kind) {
        engine.Sprite found = null;
        for (engine.Sprite sprite : game.sprites()) {
            if (sprite.kind == kind) {
                check(found == null, "one " + kind);
                found = sprite;
            }
        }
        check(found != null, "a " + kind + " is in the game");
        return found;
    }

    private static void redKoopasTurnAtLedgesGreenOnesWalkOff() {
        String top = "-".repeat(16) + "\n";
        for (String koopa : new String[] {"r", "k"}) {
            String text = top + top + "M-------" + koopa + "-------\n" + "X------XXX------\n" + top + top + top;
            World game = idle(text, 200);
            boolean red = koopa.equals("r");
            if (red) {
                engine.Sprite sprite = only(game, engine.SpriteKind.RED_KOOPA);
                check(sprite.x > 7 * 16 && sprite.x < 10 * 16 && sprite.y < 3 * 16,
                    "the red koopa paces its 3-tile ledge: " + sprite.x + ", " + sprite.y);
            } else {
                for (engine.Sprite sprite : game.sprites()) {
                    check(sprite.kind != engine.SpriteKind.GREEN_KOOPA || sprite.y > 3 * 16,
                        "the green koopa walked off its ledge");
                }
            }
        }
    }

    private static void wingedGoombasHop() {
        String top = "-".repeat(16) + "\n";
        World game = idle(top + top + top + top + "M------------G--\n" + "X".repeat(16) + "\n", 2);
        float lowest = Float.NEGATIVE_INFINITY;
        float highest = Float.POSITIVE_INFINITY;
        for (int i = 0; i < 60; i++) {
            game.update(Actions.NONE);
            engine.Sprite goomba = only(game, engine.SpriteKind.GOOMBA_WINGED);
            lowest = Math.max(lowest, goomba.y);
            highest = Math.min(highest, goomba.y);
        }
        check(lowest - highest > 16, "a winged goomba hops more than a tile: " + (lowest - highest));
    }

    private static void piranhaPlantsRiseTwentyPixels() {
        String top = "-".repeat(16) + "\n";
        World game = idle(top + top + top + "M-------TT------\n" + "XXXXXXXXttXXXXXX\n", 1);
        float start = only(game, engine.SpriteKind.PIRANHA_PLANT).y;
        float highest = start;
        for (int i = 0; i < 100; i++) {
            game.update(Actions.NONE);
            highest = Math.min(highest, only(game, engine.SpriteKind.PIRANHA_PLANT).y);
        }
        check(start - highest == 20, "the piranha plant rises 20 pixels: " + (start - highest));
    }

    private static void kickedShellsSlideAndKill() {
        String top = "-".repeat(40) + "\n";
        World game = idle(top + top + top + "M----------g---g------------------------\n" + "X".repeat(40) + "\n", 1);
        game.addSprite(new sprites.Shell(40, 63, -1));
        for (int i = 0; i < 60 && game.status() == engine.GameStatus.RUNNING; i++) {
            game.update(Actions.RIGHT);
        }
        int shellKills = game.stats().killsByMethod[engine.SpriteKind.SHELL_HIT];
        check(shellKills == 2, "the kicked shell killed both goombas: " + shellKills);
        check(game.stats().kills[0] == 2 && game.stats().hurts == 0, "goomba kills counted, Mario unhurt");
    }

    /** The telemetry's sprite_trace holds, each tick, every live sprite but Mario as the game has it. */
    private static void spriteTraceListsTheLiveSprites() {
        String top = "-".repeat(40) + "\n";
        Level level = level(top + top + "----------?-------G--------------------F\n" + top
            + "M------g---------g----k-------------R---\n" + "X".repeat(40) + "\n");
        Settings settings = new Settings();
        settings.trace = true;
        List<List<Object>> seen = new java.util.ArrayList<>();
        Map<String, Object> telemetry = Episode.play(level, settings, settings.newAgent(), world -> {
            List<Object> sprites = new java.util.ArrayList<>();
            for (engine.Sprite sprite : world.sprites()) {
                if (sprite != world.mario()) {
                    boolean wings = sprite instanceof sprites.Enemy && ((sprites.Enemy) sprite).isWinged();
                    sprites.add(List.of(sprite.kind.ordinal(), sprite.x, sprite.y,
                        (sprite.facing < 0 ? 1 : 0) + (wings ? 2 : 0)));
                }
            }
            seen.add(sprites);
        });
        check(seen.equals(telemetry.get("sprite_trace")), "sprite_trace is the game's sprites, tick by tick");
        check(((List<?>) telemetry.get("trace")).size() == seen.size(), "one sprite list per trace point");
        check(((Number) telemetry.get("kills_total")).intValue() > 0, "the agent killed an enemy on the way");
        settings.trace = false;
        check(!Episode.play(level, settings).containsKey("sprite_trace"), "no sprite_trace without trace");
    }

    private static void levelParserNamesTheProblem() {
        String[][] cases = {
            {"--\n-Z\n", "unknown tile 'Z' at row 1, column 1"},
            {"---\n--\n", "row 1 has 2 tiles but row 0 has 3"},
            {"", "empty level"},
            {"XXX\nXXX\nXXX\n", "level has 3 rows; at least 4"},
        };
        for (String[] c : cases) {
            try {
                level(c[0]);
                throw new AssertionError("accepted bad level " + c[0]);
            } catch (LevelFormatException expected) {
                check(expected.getMessage().contains(c[1]), "message '" + expected.getMessage() + "'");
            }
        }
        Level parsed = level("-----\n-----\nM-g-F\nXXXXX\n");
        check(parsed.startX == 0 && parsed.startY == 2 && parsed.exitX == 4, "M and F placed");
        check(parsed.spawnPoints.size() == 1 && parsed.templateCount == 1, "one goomba spawn point");
    }
}
