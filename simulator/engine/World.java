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
 * <p>{@link #update(int)} advances one 30 ms tick. {@link #copy()} makes an independent copy, which
 * is the forward model agents search with. The engine never looks at agents or at a screen.
 */
public final class World {
    /** Milliseconds of game time per tick. */
    public static final int TICK_MS = 30;
    /** Width and height of the visible screen in pixels (spawning and despawning depend on it). */
    public static final int SCREEN_PIXELS = 256;
    /** Ticks the game freezes when Mario grows, gets fire or shrinks. */
    private static final int POWERUP_PAUSE = 9;
    /** Ticks between two bullet bills of a cannon. */
    private static final int CANNON_PERIOD = 100;

    public final Level level;
    public Terrain terrain;
    public Mario mario;
    public GameStatus status = GameStatus.RUNNING;
    public int pauseTimer;
    public int fireballsOnScreen;
    /** Game time left in ms; a game with no limit has a negative value. */
    public int timeLeftMs;
    public int tick;
    public float cameraX;
    public float cameraY;
    public Stats stats;

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
        this.mario = new Mario(level.startX * 16 + 8, level.startY * 16 + 15, startMode);
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

    /** An independent copy of this game (the forward model). */
    public World copy() {
        return new World(this);
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
            if (sprite.x < cameraX - 64 || sprite.x > cameraX + SCREEN_PIXELS + 64
                    || sprite.y > level.heightPixels() + 32) {
                if (sprite == mario) {
                    lose();
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
        int minX = (int) cameraX / 16 - 1;
        int maxX = (int) (cameraX + SCREEN_PIXELS) / 16 + 1;
        int minY = (int) cameraY / 16 - 1;
        int maxY = (int) (cameraY + SCREEN_PIXELS) / 16 + 1;
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
            if (point.x * 16 + 8 > mario.x + 16) {
                dir = -1;
            }
            if (point.x * 16 + 8 < mario.x - 16) {
                dir = 1;
            }
            if (point.kind != null) {
                spawnEnemy(point, dir);
            } else if (dir != 0 && tick % CANNON_PERIOD == 0) {
                addSprite(new BulletBill(point.x * 16 + 8 + dir * 8, point.y * 16 + 15, dir));
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
        Sprite enemy = point.kind == SpriteKind.PIRANHA_PLANT
            ? new PiranhaPlant(point.x * 16 + 17, point.y * 16 + 18)
            : new Enemy(point.kind, point.x * 16 + 8, point.y * 16 + 15, dir);
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
            if (Tile.has(block, Tile.POWERUP)) {
                if (mario.isLarge()) {
                    addSprite(new FireFlower(xTile * 16 + 9, yTile * 16 + 8));
                } else {
                    addSprite(new Mushroom(SpriteKind.MUSHROOM, xTile * 16 + 9, yTile * 16 + 8));
                }
            } else if (Tile.has(block, Tile.LIFE)) {
                addSprite(new Mushroom(SpriteKind.LIFE_MUSHROOM, xTile * 16 + 9, yTile * 16 + 8));
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
            mario.collectCoin();
            terrain.setTile(xTile, yTile, Tile.EMPTY);
        }
        for (Sprite sprite : sprites) {
            sprite.bumpCheck(xTile, yTile);
        }
    }
}
