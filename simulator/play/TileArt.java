package play;

import engine.Sprite;
import engine.SpriteKind;
import engine.Tile;
import engine.World;
import java.awt.Color;
import java.awt.Graphics2D;

/** Our own flat drawings of tiles and sprites: coloured shapes, no bitmaps. */
final class TileArt {
    static final Color SKY = new Color(107, 140, 255);
    private static final Color GROUND = new Color(181, 83, 40);
    private static final Color BRICK = new Color(200, 76, 12);
    private static final Color QUESTION = new Color(252, 188, 60);
    private static final Color USED = new Color(136, 112, 80);
    private static final Color PIPE = new Color(40, 170, 60);
    private static final Color CANNON = new Color(60, 60, 60);
    private static final Color COIN = new Color(255, 215, 0);
    private static final Color PLATFORM = new Color(230, 160, 90);
    private static final Color POLE = new Color(220, 220, 220);

    private TileArt() {
    }

    /** Draws the part of {@code world} from x = {@code camera} that is {@code widthPixels} wide. */
    static void drawScene(Graphics2D g, World world, int camera, int widthPixels) {
        g.setColor(SKY);
        g.fillRect(0, 0, widthPixels, world.level.heightPixels());
        for (int x = camera / 16; x <= (camera + widthPixels) / 16; x++) {
            for (int y = 0; y < world.level.height; y++) {
                drawTile(g, world.terrain.tile(x, y), x * 16 - camera, y * 16);
            }
        }
        for (Sprite sprite : world.sprites()) {
            if (sprite.alive || sprite.kind == SpriteKind.MARIO) {
                drawSprite(g, sprite, (int) sprite.x - camera, (int) sprite.y);
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

    static void drawTile(Graphics2D g, int code, int px, int py) {
        switch (code) {
            case Tile.EMPTY: case Tile.HIDDEN_COIN: case Tile.HIDDEN_LIFE: case Tile.PLATFORM_BACKGROUND:
                return;
            case Tile.GROUND: case Tile.BLOCK: block(g, GROUND, px, py); break;
            case Tile.BRICK: case Tile.COIN_BRICK: case Tile.POWERUP_BRICK: case Tile.LIFE_BRICK:
                block(g, BRICK, px, py);
                g.setColor(Color.BLACK);
                g.drawLine(px, py + 8, px + 15, py + 8);
                g.drawLine(px + 8, py, px + 8, py + 8);
                break;
            case Tile.COIN_QUESTION: case Tile.POWERUP_QUESTION:
                block(g, QUESTION, px, py);
                g.setColor(Color.BLACK);
                g.drawString("?", px + 5, py + 13);
                break;
            case Tile.USED: block(g, USED, px, py); break;
            case Tile.CANNON_TOP: case Tile.CANNON_BODY: block(g, CANNON, px, py); break;
            case Tile.PLATFORM:
                g.setColor(PLATFORM);
                g.fillRect(px, py, 16, 6);
                break;
            case Tile.COIN:
                g.setColor(COIN);
                g.fillOval(px + 4, py + 2, 8, 12);
                break;
            case Tile.FLAGPOLE: case Tile.FLAG_TOP:
                g.setColor(POLE);
                g.fillRect(px + 7, py, 2, 16);
                break;
            default:
                block(g, PIPE, px, py);
        }
    }

    private static void block(Graphics2D g, Color color, int px, int py) {
        g.setColor(color);
        g.fillRect(px, py, 16, 16);
        g.setColor(color.darker());
        g.drawRect(px, py, 15, 15);
    }

    static void drawSprite(Graphics2D g, Sprite s, int px, int py) {
        g.setColor(colorOf(s.kind));
        int w = Math.max(4, s.width * 2 + 2);
        if (s.kind == SpriteKind.FIREBALL || s.kind == SpriteKind.MUSHROOM || s.kind == SpriteKind.LIFE_MUSHROOM
                || s.kind == SpriteKind.FIRE_FLOWER || s.kind == SpriteKind.SHELL) {
            g.fillOval(px - w / 2 - 2, py - s.height, w + 4, s.height);
        } else {
            g.fillRect(px - w / 2, py - s.height + 1, w, s.height);
        }
    }

    private static Color colorOf(SpriteKind kind) {
        switch (kind) {
            case MARIO: return Color.RED;
            case GOOMBA: case GOOMBA_WINGED: return new Color(140, 70, 20);
            case GREEN_KOOPA: case GREEN_KOOPA_WINGED: case SHELL: return new Color(0, 140, 0);
            case RED_KOOPA: case RED_KOOPA_WINGED: return new Color(200, 0, 0);
            case SPIKY: case SPIKY_WINGED: return new Color(230, 60, 160);
            case BULLET_BILL: return Color.BLACK;
            case PIRANHA_PLANT: return new Color(0, 100, 40);
            case MUSHROOM: return new Color(255, 120, 0);
            case LIFE_MUSHROOM: return new Color(0, 200, 80);
            case FIRE_FLOWER: return new Color(255, 80, 0);
            default: return Color.ORANGE;
        }
    }
}
