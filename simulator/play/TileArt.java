package play;

import engine.Sprite;
import engine.SpriteKind;
import engine.Tile;
import engine.World;
import java.awt.Color;
import java.awt.Graphics2D;

/** Our own drawings of the scene: tiles as simple shapes here, sprites by {@link SpriteArt}. */
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
    /** The question mark on a question block: rectangles {x, y, width, height} within the tile. */
    private static final int[][] QUESTION_MARK_STROKES = {
        {5, 3, 6, 2}, {4, 4, 2, 2}, {10, 4, 2, 4}, {7, 7, 4, 2}, {7, 8, 2, 2}, {7, 11, 2, 2},
    };

    private TileArt() {
    }

    /** Draws the part of {@code world} from x = {@code camera} that is {@code widthPixels} wide. */
    static void drawScene(Graphics2D g, World world, int camera, int widthPixels) {
        g.setColor(SKY);
        g.fillRect(0, 0, widthPixels, world.level.heightPixels());
        // piranha plants go behind the tiles, so the part still inside the pipe is hidden
        drawSprites(g, world, camera, true);
        for (int x = camera / 16; x <= (camera + widthPixels) / 16; x++) {
            for (int y = 0; y < world.level.height; y++) {
                drawTile(g, world.terrain.tile(x, y), x * 16 - camera, y * 16);
            }
        }
        drawSprites(g, world, camera, false);
    }

    private static void drawSprites(Graphics2D g, World world, int camera, boolean behindTiles) {
        for (Sprite sprite : world.sprites()) {
            boolean visible = sprite.alive || sprite.kind == SpriteKind.MARIO;
            if (visible && (sprite.kind == SpriteKind.PIRANHA_PLANT) == behindTiles) {
                SpriteArt.draw(g, sprite, (int) sprite.x - camera, (int) sprite.y);
            }
        }
    }

    /** Writes a PNG of the whole level in {@code world}, one pixel per game pixel. */
    static void writeImage(World world, java.nio.file.Path path) throws java.io.IOException {
        int width = world.level.widthPixels();
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, world.level.heightPixels(),
            java.awt.image.BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        drawScene(g, world, 0, width);
        g.dispose();
        javax.imageio.ImageIO.write(image, "png", path.toFile());
    }

    private static void drawTile(Graphics2D g, int code, int px, int py) {
        switch (code) {
            case Tile.EMPTY: case Tile.HIDDEN_COIN: case Tile.HIDDEN_LIFE: case Tile.PLATFORM_BACKGROUND:
                return;
            case Tile.GROUND: ground(g, px, py); break;
            case Tile.BLOCK: bevelled(g, BLOCK, px, py); break;
            case Tile.BRICK: case Tile.COIN_BRICK: case Tile.POWERUP_BRICK: case Tile.LIFE_BRICK:
                brick(g, px, py);
                break;
            case Tile.COIN_QUESTION: case Tile.POWERUP_QUESTION: question(g, px, py); break;
            case Tile.USED: riveted(g, USED, px, py); break;
            case Tile.CANNON_TOP: cannonTop(g, px, py); break;
            case Tile.CANNON_BODY: bevelled(g, CANNON, px, py); break;
            case Tile.PLATFORM:
                g.setColor(PLATFORM);
                g.fillRect(px, py, 16, 6);
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
                g.fillRect(px + 7, py, 2, 16);
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

    /** Earth: a dark brown stone pattern, lighter along the top. */
    private static void ground(Graphics2D g, int px, int py) {
        g.setColor(GROUND);
        g.fillRect(px, py, 16, 16);
        g.setColor(GROUND.brighter());
        g.fillRect(px, py, 16, 2);
        g.setColor(GROUND.darker().darker());
        g.drawLine(px + 15, py, px + 15, py + 15);
        g.drawLine(px, py + 15, px + 15, py + 15);
        g.drawLine(px + 5, py + 2, px + 5, py + 8);
        g.drawLine(px + 5, py + 8, px + 1, py + 11);
        g.drawLine(px + 5, py + 8, px + 11, py + 10);
        g.drawLine(px + 11, py + 10, px + 11, py + 14);
    }

    /** Bricks: orange-red, staggered rows of dark mortar. */
    private static void brick(Graphics2D g, int px, int py) {
        g.setColor(BRICK);
        g.fillRect(px, py, 16, 16);
        g.setColor(MORTAR);
        for (int row = 0; row < 4; row++) {
            int y = py + row * 4;
            g.drawLine(px, y + 3, px + 15, y + 3);
            int offset = row % 2 == 0 ? 4 : 0;
            g.drawLine(px + offset, y, px + offset, y + 3);
            g.drawLine(px + offset + 8, y, px + offset + 8, y + 3);
        }
        g.setColor(BRICK.brighter());
        g.drawLine(px, py, px + 15, py);
    }

    /** A question block: gold, dark outline, corner rivets and a drawn question mark. */
    private static void question(Graphics2D g, int px, int py) {
        riveted(g, QUESTION, px, py);
        g.setColor(QUESTION_MARK);
        for (int[] stroke : QUESTION_MARK_STROKES) {
            g.fillRect(px + stroke[0], py + stroke[1], stroke[2], stroke[3]);
        }
    }

    /** A flat block with a dark outline and a rivet in each corner. */
    private static void riveted(Graphics2D g, Color color, int px, int py) {
        g.setColor(color);
        g.fillRect(px, py, 16, 16);
        g.setColor(OUTLINE);
        g.drawRect(px, py, 15, 15);
        for (int corner = 0; corner < 4; corner++) {
            g.fillRect(px + (corner % 2 == 0 ? 2 : 13), py + (corner < 2 ? 2 : 13), 1, 1);
        }
    }

    /** A solid block lit from the top left. */
    private static void bevelled(Graphics2D g, Color color, int px, int py) {
        g.setColor(color);
        g.fillRect(px, py, 16, 16);
        g.setColor(color.brighter());
        g.fillRect(px, py, 16, 2);
        g.fillRect(px, py, 2, 16);
        g.setColor(color.darker());
        g.fillRect(px, py + 14, 16, 2);
        g.fillRect(px + 14, py, 2, 16);
    }

    /** A cannon's muzzle: dark block with a round black mouth. */
    private static void cannonTop(Graphics2D g, int px, int py) {
        bevelled(g, CANNON, px, py);
        g.setColor(Color.BLACK);
        g.fillOval(px + 3, py + 3, 10, 10);
        g.setColor(Color.WHITE);
        g.fillRect(px + 6, py + 6, 2, 2);
    }

    /** One column of a pipe: its rim ({@code top}) juts out beyond the body on the outer sides. */
    private static void pipe(Graphics2D g, int px, int py, boolean top, boolean leftEdge, boolean rightEdge) {
        int inset = top ? 0 : 2;
        int x0 = px + (leftEdge ? inset : 0);
        int x1 = px + 16 - (rightEdge ? inset : 0);
        g.setColor(PIPE);
        g.fillRect(x0, py, x1 - x0, 16);
        g.setColor(PIPE_LIGHT);
        if (leftEdge) {
            g.fillRect(x0 + 2, py, 3, 16);
        }
        g.setColor(PIPE_DARK);
        if (rightEdge) {
            g.fillRect(x1 - 4, py, 2, 16);
        }
        g.setColor(Color.BLACK);
        if (leftEdge) {
            g.drawLine(x0, py, x0, py + 15);
        }
        if (rightEdge) {
            g.drawLine(x1 - 1, py, x1 - 1, py + 15);
        }
        if (top) {
            g.drawLine(x0, py, x1 - 1, py);
            g.drawLine(x0, py + 15, x1 - 1, py + 15);
        }
    }
}
