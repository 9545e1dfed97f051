package engine;

import java.util.ArrayList;
import java.util.List;
import sprites.BulletBill;
import sprites.Enemy;
import sprites.FireFlower;
import sprites.Mario;
import sprites.Mushroom;
import sprites.PiranhaPlant;

/**
 * One game in progress: the terrain, Mario, every other sprite, the clock and the statistics.
 *
 * <p>{@link #update(int)} advances one 30 ms tick. Agents see a game only as a {@link ForwardModel}
 * (a copy of it each tick). The engine never looks at agents or at a screen.
 */
public final class World implements ForwardModel {
    /** Milliseconds of game time per tick. */
    public static final int TICK_MS = 30;
    /** Width and height of the visible screen in pixels (spawning and despawning depend on it). */
    public static final int SCREEN_PIXELS = 256;
    /** Ticks the game freezes when Mario grows, gets fire or shrinks. */
    private static final int POWERUP_PAUSE = 9;
    /** Ticks between two bullet bills of a cannon. */
    private static final int CANNON_PERIOD = 100;
    /** Pixels beyond either side of the screen where sprites still live; further away they vanish. */
    private static final int LIVE_MARGIN = 64;
    /** Pixels below the level's bottom edge where a falling sprite vanishes (Mario: into a pit). */
    private static final int FALL_MARGIN = 32;
    /** Tiles beyond the screen's edges where enemies already spawn. */
    private static final int SPAWN_MARGIN_TILES = 1;
    /** Pixels from Mario within which a spawn point is neither left nor right of him (so cannons hold fire). */
    private static final int SPAWN_FACING_DEAD_ZONE = 16;

    private final Level level;
    private Terrain terrain;
    private Mario mario;
    private GameStatus status = GameStatus.RUNNING;
    private int pauseTimer;
    private int fireballsOnScreen;
    /** Game time left in ms; a game with no limit has a negative value. */
    private int timeLeftMs;
    private int tick;
    private float cameraX;
    private float cameraY;
    private Stats stats;

    private ArrayList<Sprite> sprites = new ArrayList<>();
    private final ArrayList<Sprite> addedSprites = new ArrayList<>();
    private final ArrayList<Sprite> removedSprites = new ArrayList<>();
    private final ArrayList<Sprite> shellsToCheck = new ArrayList<>();
    private final ArrayList<Sprite> fireballsToCheck = new ArrayList<>();

    /**
     * Starts a game on {@code level}.
     *
     * @param timeLimitMs game time before a timeout, in ms (0 or less: no limit)
     */
    public World(Level level, int timeLimitMs, MarioMode startMode) {
        this.level = level;
        this.terrain = new Terrain(level);
        this.timeLeftMs = timeLimitMs > 0 ? timeLimitMs : -1;
        this.stats = new Stats();
        this.mario = new Mario(Tile.middleX(level.startX), Tile.bottomY(level.startY), startMode);
        this.mario.world = this;
        this.sprites.add(mario);
    }

    private World(World other) {
        this.level = other.level;
        this.terrain = other.terrain.copy();
        this.status = other.status;
        this.pauseTimer = other.pauseTimer;
        this.fireballsOnScreen = other.fireballsOnScreen;
        this.timeLeftMs = other.timeLeftMs;
        this.tick = other.tick;
        this.cameraX = other.cameraX;
        this.cameraY = other.cameraY;
        this.stats = other.stats.copy();
        this.sprites = new ArrayList<>(other.sprites.size());
        for (Sprite sprite : other.sprites) {
            Sprite copy = sprite.copy();
            copy.world = this;
            if (sprite == other.mario) {
                this.mario = (Mario) copy;
            }
            this.sprites.add(copy);
        }
        if (this.mario == null) {
            this.mario = (Mario) other.mario.copy();
            this.mario.world = this;
        }
    }

    /** An independent copy of this game. */
    @Override
    public World copy() {
        return new World(this);
    }

    @Override
    public void advance(int actions) {
        update(actions);
    }

    public Level level() {
        return level;
    }

    /** The tiles as they are now in this game. */
    public Terrain terrain() {
        return terrain;
    }

    public Mario mario() {
        return mario;
    }

    public Stats stats() {
        return stats;
    }

    @Override
    public GameStatus status() {
        return status;
    }

    @Override
    public int tick() {
        return tick;
    }

    /** Game time left in ms; negative for a game without a time limit. */
    public int timeLeftMs() {
        return timeLeftMs;
    }

    /** The left edge of the screen, in pixels. */
    public float cameraX() {
        return cameraX;
    }

    /** Fire Mario's fireballs in the game as this tick began (he may have two at once). */
    public int fireballsOnScreen() {
        return fireballsOnScreen;
    }

    /** Freezes the game for the ticks a change of Mario's power-up takes to show. */
    public void pauseForPowerUpChange() {
        pauseTimer = POWERUP_PAUSE;
    }

    @Override
    public int levelHeightPixels() {
        return level.heightPixels();
    }

    @Override
    public float marioX() {
        return mario.x;
    }

    @Override
    public float marioY() {
        return mario.y;
    }

    @Override
    public float marioSpeedX() {
        return mario.xa;
    }

    @Override
    public MarioMode marioMode() {
        return mario.mode();
    }

    @Override
    public int kills() {
        return stats.killsTotal();
    }

    @Override
    public int coins() {
        return stats.coins;
    }

    @Override
    public boolean marioOnGround() {
        return mario.onGround;
    }

    @Override
    public boolean marioMayJump() {
        return mario.mayJump;
    }

    @Override
    public int marioJumpTicksLeft() {
        return mario.jumpTime;
    }

    /** Every sprite now in the game, Mario included, in update order. */
    public List<Sprite> sprites() {
        return sprites;
    }

    public void addSprite(Sprite sprite) {
        addedSprites.add(sprite);
        sprite.alive = true;
        sprite.world = this;
        sprite.update();
    }

    public void removeSprite(Sprite sprite) {
        removedSprites.add(sprite);
        sprite.alive = false;
    }

    public void checkShellCollide(Sprite shell) {
        shellsToCheck.add(shell);
    }

    public void checkFireballCollide(Sprite fireball) {
        fireballsToCheck.add(fireball);
    }

    public void win() {
        status = GameStatus.WIN;
    }

    public void lose() {
        status = GameStatus.LOSE;
        mario.alive = false;
    }

    /** Ends the game as a timeout now (the caller decided it cannot be won any more). */
    public void giveUp() {
        timeout();
    }

    private void timeout() {
        status = GameStatus.TIMEOUT;
        mario.alive = false;
    }

    /** Records that an enemy of {@code kind} was killed by {@code method} (a SpriteKind constant). */
    public void recordKill(SpriteKind kind, int method) {
        stats.recordKill(kind, method);
    }

    /** Advances the game by one tick with Mario's buttons {@code actions}. */
    public void update(int actions) {
        if (status != GameStatus.RUNNING) {
            return;
        }
        if (pauseTimer > 0) {
            pauseTimer--;
            return;
        }
        if (timeLeftMs > 0) {
            timeLeftMs -= TICK_MS;
            if (timeLeftMs <= 0) {
                timeLeftMs = 0;
                timeout();
                return;
            }
        }
        tick++;
        moveCamera();

        fireballsOnScreen = 0;
        for (Sprite sprite : sprites) {
            if (sprite.x < cameraX - LIVE_MARGIN || sprite.x > cameraX + SCREEN_PIXELS + LIVE_MARGIN
                    || sprite.y > level.heightPixels() + FALL_MARGIN) {
                if (sprite == mario) {
                    lose();
                } else if (sprite.y > level.heightPixels() + FALL_MARGIN && sprite.kind.isWalkingEnemy()) {
                    stats.fallKills++;
                }
                removeSprite(sprite);
                continue;
            }
            if (sprite.kind == SpriteKind.FIREBALL) {
                fireballsOnScreen++;
            }
        }
        spawnInView();

        mario.actions = actions;
        for (Sprite sprite : sprites) {
            if (sprite.alive) {
                sprite.update();
            }
        }
        for (Sprite sprite : sprites) {
            if (sprite.alive) {
                sprite.collideCheck();
            }
        }
        for (Sprite shell : shellsToCheck) {
            for (Sprite sprite : sprites) {
                if (sprite != shell && shell.alive && sprite.alive && sprite.shellCollideCheck(shell)) {
                    removeSprite(sprite);
                }
            }
        }
        shellsToCheck.clear();
        for (Sprite fireball : fireballsToCheck) {
            for (Sprite sprite : sprites) {
                if (sprite != fireball && fireball.alive && sprite.alive && sprite.fireballCollideCheck(fireball)) {
                    removeSprite(fireball);
                }
            }
        }
        fireballsToCheck.clear();
        applySpriteChanges();
    }

    private void moveCamera() {
        cameraX = mario.x - SCREEN_PIXELS / 2;
        if (cameraX + SCREEN_PIXELS > level.widthPixels()) {
            cameraX = level.widthPixels() - SCREEN_PIXELS;
        }
        if (cameraX < 0) {
            cameraX = 0;
        }
        cameraY = mario.y - SCREEN_PIXELS / 2;
        if (cameraY + SCREEN_PIXELS > level.heightPixels()) {
            cameraY = level.heightPixels() - SCREEN_PIXELS;
        }
        if (cameraY < 0) {
            cameraY = 0;
        }
    }

    /** Spawns the enemies whose spawn points came into view and lets cannons fire. */
    private void spawnInView() {
        int minX = (int) cameraX / Tile.SIZE - SPAWN_MARGIN_TILES;
        int maxX = (int) (cameraX + SCREEN_PIXELS) / Tile.SIZE + SPAWN_MARGIN_TILES;
        int minY = (int) cameraY / Tile.SIZE - SPAWN_MARGIN_TILES;
        int maxY = (int) (cameraY + SCREEN_PIXELS) / Tile.SIZE + SPAWN_MARGIN_TILES;
        for (Level.SpawnPoint point : level.spawnPoints) {
            if (point.x < minX) {
                continue;
            }
            if (point.x > maxX) {
                break;
            }
            if (point.y < minY || point.y > maxY) {
                continue;
            }
            int dir = 0;
            if (Tile.middleX(point.x) > mario.x + SPAWN_FACING_DEAD_ZONE) {
                dir = -1;
            }
            if (Tile.middleX(point.x) < mario.x - SPAWN_FACING_DEAD_ZONE) {
                dir = 1;
            }
            if (point.kind != null) {
                spawnEnemy(point, dir);
            } else if (dir != 0 && tick % CANNON_PERIOD == 0) {
                // the bullet leaves from the cannon's side that faces Mario
                addSprite(new BulletBill(Tile.middleX(point.x) + dir * Tile.SIZE / 2, Tile.bottomY(point.y), dir));
            }
        }
    }

    private void spawnEnemy(Level.SpawnPoint point, int dir) {
        boolean present = false;
        for (Sprite sprite : sprites) {
            if (sprite.templateId == point.templateId) {
                present = true;
                break;
            }
        }
        if (!present && terrain.lastSpawnTick(point.templateId) != tick - 1) {
            addSprite(spawnedSprite(point, dir));
        }
        terrain.setLastSpawnTick(point.templateId, tick);
    }

    /** The sprite an enemy spawn point makes: an enemy facing {@code dir}, or a piranha plant in its pipe. */
    public static Sprite spawnedSprite(Level.SpawnPoint point, int dir) {
        // a piranha plant sits between the two columns of its pipe, its feet inside the pipe
        Sprite enemy = point.kind == SpriteKind.PIRANHA_PLANT
            ? new PiranhaPlant(point.x * Tile.SIZE + Tile.SIZE + 1, Tile.bottomY(point.y) + 3)
            : new Enemy(point.kind, Tile.middleX(point.x), Tile.bottomY(point.y), dir);
        enemy.templateId = point.templateId;
        return enemy;
    }

    private void applySpriteChanges() {
        if (addedSprites.isEmpty() && removedSprites.isEmpty()) {
            return;
        }
        ArrayList<Sprite> next = new ArrayList<>(addedSprites.size() + sprites.size());
        next.addAll(addedSprites);
        next.addAll(sprites);
        if (!removedSprites.isEmpty()) {
            next.removeIf(removedSprites::contains);
        }
        sprites = next;
        addedSprites.clear();
        removedSprites.clear();
    }

    /** Hits the block at (xTile, yTile) from below; {@code canBreakBricks} for large Mario and shells. */
    public void bump(int xTile, int yTile, boolean canBreakBricks) {
        int block = terrain.tile(xTile, yTile);
        if (Tile.has(block, Tile.BUMPABLE)) {
            bumpInto(xTile, yTile - 1);
            terrain.setTile(xTile, yTile, Tile.USED);
            stats.bumps++;
            // an item appears in the block's middle (a pixel right of it) and rises out of it
            float itemX = Tile.middleX(xTile) + 1;
            float itemY = yTile * Tile.SIZE + Tile.SIZE / 2;
            if (Tile.has(block, Tile.POWERUP)) {
                if (mario.isLarge()) {
                    addSprite(new FireFlower(itemX, itemY));
                } else {
                    addSprite(new Mushroom(SpriteKind.MUSHROOM, itemX, itemY));
                }
            } else if (Tile.has(block, Tile.LIFE)) {
                addSprite(new Mushroom(SpriteKind.LIFE_MUSHROOM, itemX, itemY));
            } else {
                mario.collectCoin();
            }
        }
        if (Tile.has(block, Tile.BREAKABLE)) {
            bumpInto(xTile, yTile - 1);
            if (canBreakBricks) {
                terrain.setTile(xTile, yTile, Tile.EMPTY);
                stats.bricksBroken++;
            }
        }
    }

    /** Effects on whatever stands on a bumped block: coins are collected, sprites are knocked. */
    private void bumpInto(int xTile, int yTile) {
        if (Tile.has(terrain.tile(xTile, yTile), Tile.PICKABLE)) {
            mario.collectTileCoin();
            terrain.setTile(xTile, yTile, Tile.EMPTY);
        }
        for (Sprite sprite : sprites) {
            sprite.bumpCheck(xTile, yTile);
        }
    }
}
