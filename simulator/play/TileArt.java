package play;

import engine.Level;
import engine.Sprite;
import engine.SpriteKind;
import engine.Tile;
import engine.World;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Our own drawings of the scene: tiles as simple shapes here, sprites by {@link SpriteArt}.
 *
 * <p>The Python package draws the VAE tiles again, as pixel art ({@code gym_mario_latent/levels/render.py}):
 * on purpose, since each side must draw with no runtime of the other (this window runs without
 * Python, the VAE's pictures without a JVM) and they draw different things (here a running game in
 * either alphabet, there 11 static tiles in batches). No result depends on either picture.
 */
final class TileArt {
    static final Color SKY = new Color(107, 140, 255);
    private static final Color GROUND = new Color(128, 72, 40);
    private static final Color BLOCK = new Color(180, 140, 100);
    private static final Color BRICK = new Color(214, 92, 36);
    private static final Color MORTAR = new Color(60, 24, 8);
    private static final Color QUESTION = new Color(252, 188, 60);
    private static final Color QUESTION_MARK = new Color(150, 60, 0);
    private static final Color USED = new Color(136, 104, 72);
    private static final Color OUTLINE = new Color(60, 36, 16);
    private static final Color PIPE = new Color(56, 176, 56);
    private static final Color PIPE_LIGHT = new Color(150, 230, 120);
    private static final Color PIPE_DARK = new Color(16, 104, 24);
    private static final Color CANNON = new Color(70, 70, 80);
    private static final Color COIN = new Color(255, 208, 0);
    private static final Color PLATFORM = new Color(230, 160, 90);
    private static final Color POLE = new Color(220, 220, 220);
    /** The question mark's hook: three quarters of a circle ending in a short downward stem. */
    private static final Path2D QUESTION_HOOK = questionHook();
    /** Width of the light and dark edges of a bevelled block, in pixels. */
    private static final int BEVEL = 2;
    private static final BasicStroke QUESTION_STROKE =
        new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);

    private TileArt() {
    }

    private static Path2D questionHook() {
        Path2D.Float hook = new Path2D.Float();
        hook.append(new Arc2D.Float(4.6f, 2.4f, 6.8f, 6.6f, 165, -255, Arc2D.OPEN), false);
        hook.lineTo(8, 10.2f);
        return hook;
    }

    /** Draws the part of {@code world} from x = {@code camera} that is {@code widthPixels} wide. */
    static void drawScene(Graphics2D g, World world, int camera, int widthPixels) {
        drawScene(g, world, List.of(), camera, widthPixels);
    }

    /** {@link #drawScene(Graphics2D, World, int, int)} with {@code extraSprites} drawn as if in the game. */
    private static void drawScene(Graphics2D g, World world, List<Sprite> extraSprites, int camera,
            int widthPixels) {
        List<Sprite> sprites = new ArrayList<>(world.sprites());
        sprites.addAll(extraSprites);
        g.setColor(SKY);
        g.fillRect(0, 0, widthPixels, world.level().heightPixels());
        // piranha plants go behind the tiles, so the part still inside the pipe is hidden
        drawSprites(g, sprites, camera, true);
        for (int x = camera / Tile.SIZE; x <= (camera + widthPixels) / Tile.SIZE; x++) {
            for (int y = 0; y < world.level().height; y++) {
                drawTile(g, world.terrain().tile(x, y), x * Tile.SIZE - camera, y * Tile.SIZE);
            }
        }
        drawSprites(g, sprites, camera, false);
    }

    private static void drawSprites(Graphics2D g, List<Sprite> sprites, int camera, boolean behindTiles) {
        for (Sprite sprite : sprites) {
            boolean visible = sprite.alive || sprite.kind == SpriteKind.MARIO;
            if (visible && (sprite.kind == SpriteKind.PIRANHA_PLANT) == behindTiles) {
                SpriteArt.draw(g, sprite, (int) sprite.x - camera, (int) sprite.y);
            }
        }
    }

    /**
     * Writes a PNG of the whole level in {@code world}, one pixel per game pixel, with every enemy
     * still to spawn drawn where it will appear (facing Mario, as it will start).
     */
    static void writeImage(World world, java.io.OutputStream out) throws java.io.IOException {
        List<Sprite> toSpawn = new ArrayList<>();
        for (Level.SpawnPoint point : world.level().spawnPoints) {
            boolean spawned = world.sprites().stream().anyMatch(sprite -> sprite.templateId == point.templateId);
            if (point.kind != null && !spawned) {
                Sprite enemy = World.spawnedSprite(point, -1);
                enemy.alive = true;
                toSpawn.add(enemy);
            }
        }
        int width = world.level().widthPixels();
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, world.level().heightPixels(),
            java.awt.image.BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        drawScene(g, world, toSpawn, 0, width);
        g.dispose();
        javax.imageio.ImageIO.setUseCache(false); // no cache file in the temporary folder
        javax.imageio.ImageIO.write(image, "png", out);
    }

    private static void drawTile(Graphics2D g, int code, int px, int py) {
        switch (code) {
            case Tile.EMPTY: case Tile.HIDDEN_COIN: case Tile.HIDDEN_LIFE: case Tile.PLATFORM_BACKGROUND:
                return;
            case Tile.GROUND: bevelled(g, GROUND, px, py); break;
            case Tile.BLOCK: bevelled(g, BLOCK, px, py); break;
            case Tile.BRICK: case Tile.COIN_BRICK: case Tile.POWERUP_BRICK: case Tile.LIFE_BRICK:
                brick(g, px, py);
                break;
            case Tile.COIN_QUESTION: case Tile.POWERUP_QUESTION: question(g, px, py); break;
            case Tile.USED: rounded(g, USED, px, py); break;
            case Tile.CANNON_TOP: cannonTop(g, px, py); break;
            case Tile.CANNON_BODY: bevelled(g, CANNON, px, py); break;
            case Tile.PLATFORM:
                g.setColor(PLATFORM);
                g.fillRect(px, py, Tile.SIZE, 6);
                g.setColor(PLATFORM.darker());
                g.drawRect(px, py, 15, 5);
                break;
            case Tile.COIN:
                g.setColor(COIN.darker());
                g.fillOval(px + 3, py + 1, 10, 14);
                g.setColor(COIN);
                g.fillOval(px + 4, py + 2, 8, 12);
                g.setColor(Color.WHITE);
                g.fillRect(px + 6, py + 4, 2, 6);
                break;
            case Tile.FLAGPOLE:
                g.setColor(POLE);
                g.fillRect(px + 7, py, 2, Tile.SIZE);
                break;
            case Tile.FLAG_TOP:
                g.setColor(POLE);
                g.fillRect(px + 7, py + 6, 2, 10);
                g.setColor(PIPE);
                g.fillOval(px + 4, py, 8, 8);
                break;
            case Tile.PIPE_TOP_LEFT: pipe(g, px, py, true, true, false); break;
            case Tile.PIPE_TOP_RIGHT: pipe(g, px, py, true, false, true); break;
            case Tile.PIPE_SINGLE_TOP: pipe(g, px, py, true, true, true); break;
            case Tile.PIPE_LEFT: pipe(g, px, py, false, true, false); break;
            case Tile.PIPE_RIGHT: pipe(g, px, py, false, false, true); break;
            case Tile.PIPE_SINGLE: pipe(g, px, py, false, true, true); break;
            default:
                bevelled(g, Color.MAGENTA, px, py);
        }
    }

    /** Bricks: rounded bricks 16 wide in rows 8 tall, every other row shifted by half a brick. */
    private static void brick(Graphics2D g, int px, int py) {
        Graphics2D wall = (Graphics2D) g.create();
        wall.clipRect(px, py, Tile.SIZE, Tile.SIZE);
        wall.setColor(MORTAR);
        wall.fillRect(px, py, Tile.SIZE, Tile.SIZE);
        for (int x : new int[] {px, px - 8, px + 8}) {
            int y = x == px ? py : py + 8;
            wall.setColor(BRICK);
            wall.fillRoundRect(x + 1, y + 1, 14, 6, 4, 4);
            wall.setColor(BRICK.brighter());
            wall.fillRect(x + 3, y + 1, 10, 1);
        }
        wall.dispose();
    }

    /** A question block: a gold rounded block with a question mark drawn as a round stroke and a dot. */
    private static void question(Graphics2D g, int px, int py) {
        rounded(g, QUESTION, px, py);
        Graphics2D mark = (Graphics2D) g.create();
        mark.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        mark.translate(px, py);
        mark.setColor(QUESTION_MARK);
        mark.setStroke(QUESTION_STROKE);
        mark.draw(QUESTION_HOOK);
        mark.fill(new Ellipse2D.Float(6.7f, 11.6f, 2.6f, 2.6f));
        mark.dispose();
    }

    /** A flat block in {@code color} with rounded corners, a light top edge and a dark outline. */
    private static void rounded(Graphics2D g, Color color, int px, int py) {
        g.setColor(OUTLINE);
        g.fillRoundRect(px, py, Tile.SIZE, Tile.SIZE, 6, 6);
        g.setColor(color);
        g.fillRoundRect(px + 1, py + 1, 14, 14, 5, 5);
        g.setColor(color.brighter());
        g.fillRect(px + 3, py + 2, 10, 1);
    }

    /** A solid block lit from the top left. */
    private static void bevelled(Graphics2D g, Color color, int px, int py) {
        g.setColor(color);
        g.fillRect(px, py, Tile.SIZE, Tile.SIZE);
        g.setColor(color.brighter());
        g.fillRect(px, py, Tile.SIZE, BEVEL);
        g.fillRect(px, py, BEVEL, Tile.SIZE);
        g.setColor(color.darker());
        g.fillRect(px, py + Tile.SIZE - BEVEL, Tile.SIZE, BEVEL);
        g.fillRect(px + Tile.SIZE - BEVEL, py, BEVEL, Tile.SIZE);
    }

    /** A cannon's muzzle: a grey barrel end with a dark ring and a black bore. */
    private static void cannonTop(Graphics2D g, int px, int py) {
        bevelled(g, CANNON, px, py);
        g.setColor(CANNON.darker());
        g.fillOval(px + 2, py + 2, 12, 12);
        g.setColor(Color.BLACK);
        g.fillOval(px + 4, py + 4, 8, 8);
    }

    /**
     * One column of a pipe, shaded by a gradient across the whole pipe: its rim ({@code top}) has
     * rounded corners and juts out beyond the body on the outer sides.
     */
    private static void pipe(Graphics2D g, int px, int py, boolean top, boolean leftEdge, boolean rightEdge) {
        int inset = top ? 0 : 2;
        int x0 = px + (leftEdge ? inset : 0);
        int x1 = px + Tile.SIZE - (rightEdge ? inset : 0);
        int pipeLeft = leftEdge ? px : px - Tile.SIZE;
        int pipeRight = rightEdge ? px + Tile.SIZE : px + 2 * Tile.SIZE;
        Graphics2D shaded = (Graphics2D) g.create();
        shaded.setPaint(new GradientPaint(pipeLeft, 0, PIPE_LIGHT, pipeRight, 0, PIPE_DARK));
        shaded.setClip(x0, py, x1 - x0, Tile.SIZE);
        if (top) {
            // the rim's rounded corners are drawn as one rounded rectangle across the whole pipe
            shaded.fillRoundRect(pipeLeft, py, pipeRight - pipeLeft, Tile.SIZE, 8, 8);
            shaded.setColor(PIPE_DARK);
            shaded.fillRect(x0, py + 14, x1 - x0, 2);
        } else {
            shaded.fillRect(x0, py, x1 - x0, Tile.SIZE);
        }
        shaded.dispose();
    }
}
