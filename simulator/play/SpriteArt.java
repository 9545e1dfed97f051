package play;

import engine.MarioMode;
import engine.Sprite;
import engine.SpriteKind;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import sprites.Enemy;
import sprites.Mario;

/**
 * Our own flat drawings of the sprites, built from ovals, rounded rectangles, arcs and polygons.
 *
 * <p>Each figure is drawn facing right in a local frame whose origin is the middle of the sprite's
 * feet: x runs from -8 to 8 and y upwards is negative (a figure 16 pixels tall spans y = -16 to 0).
 * A sprite facing left gets the same figure mirrored. (Python's {@code levels/render.py} draws its own
 * goomba for VAE pictures; {@link TileArt} says why the two sides keep their own art.)
 */
final class SpriteArt {
    private static final Color RED = new Color(214, 38, 32);
    private static final Color BLUE = new Color(40, 84, 210);
    private static final Color WHITE = new Color(250, 250, 250);
    private static final Color SKIN = new Color(250, 196, 140);
    private static final Color DARK = new Color(36, 26, 22);
    private static final Color SHOE = new Color(112, 62, 26);
    private static final Color GOOMBA = new Color(150, 84, 40);
    private static final Color GOOMBA_BODY = new Color(118, 62, 28);
    private static final Color GREEN_SHELL = new Color(34, 160, 60);
    private static final Color RED_SHELL = new Color(206, 44, 52);
    private static final Color KOOPA_SKIN = new Color(246, 214, 80);
    private static final Color SPIKY = new Color(200, 40, 150);
    private static final Color LEAF = new Color(40, 150, 50);
    private static final Color BULLET = new Color(40, 40, 48);
    private static final Color BULLET_BACK = new Color(96, 96, 110);
    private static final Color STEM = new Color(238, 214, 170);
    private static final Color ORANGE = new Color(250, 128, 20);
    private static final Color YELLOW = new Color(252, 226, 60);
    private static final Color WING = new Color(240, 244, 255);
    private static final Color WING_EDGE = new Color(150, 160, 190);

    private SpriteArt() {
    }

    /** Draws {@code sprite} with the middle of its feet on game pixel (px, py). */
    static void draw(Graphics2D g, Sprite sprite, int px, int py) {
        Graphics2D local = (Graphics2D) g.create();
        try {
            local.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            local.translate(px, py + 1);
            if (sprite.facing < 0) {
                local.scale(-1, 1);
            }
            drawFigure(local, sprite);
        } finally {
            local.dispose();
        }
    }

    private static void drawFigure(Graphics2D g, Sprite sprite) {
        switch (sprite.kind) {
            case MARIO: mario(g, (Mario) sprite); break;
            case GOOMBA: case GOOMBA_WINGED: goomba(g); break;
            case GREEN_KOOPA: case GREEN_KOOPA_WINGED: koopa(g, GREEN_SHELL); break;
            case RED_KOOPA: case RED_KOOPA_WINGED: koopa(g, RED_SHELL); break;
            case SPIKY: case SPIKY_WINGED: spiky(g); break;
            case BULLET_BILL: bulletBill(g); break;
            case PIRANHA_PLANT: piranhaPlant(g); break;
            case SHELL: shell(g, GREEN_SHELL, 0); break;
            case MUSHROOM: mushroom(g, RED); break;
            case LIFE_MUSHROOM: mushroom(g, GREEN_SHELL); break;
            case FIRE_FLOWER: fireFlower(g); break;
            case FIREBALL: fireball(g); break;
            default: break;
        }
        if (sprite.kind.winged && sprite instanceof Enemy && ((Enemy) sprite).isWinged()) {
            wing(g, sprite.kind.isKoopa() ? -13 : -9);
        }
    }

    /** Mario small, large or fire (white cap and shirt, red overalls); blinking while invulnerable. */
    private static void mario(Graphics2D g, Mario mario) {
        if (mario.invulnerableTime > 0 && (mario.invulnerableTime / 2) % 2 == 1) {
            return;
        }
        boolean fire = mario.mode() == MarioMode.FIRE;
        Color shirt = fire ? WHITE : RED;
        Color overalls = fire ? RED : BLUE;
        if (mario.isLarge() && !mario.ducking) {
            plumber(g, 7, 10, 5, shirt, overalls);
        } else {
            plumber(g, 6, 4.5f, 2.5f, shirt, overalls);
        }
    }

    /**
     * The plumber: shoes, overalls {@code legs} tall with two straps over a shirt {@code chest} tall,
     * a round face with one eye and a cap with a brim (the cap in the shirt's colour).
     */
    private static void plumber(Graphics2D g, float half, float legs, float chest, Color shirt, Color overalls) {
        float hips = -2.5f - legs;
        float shoulders = hips - chest;
        fill(g, SHOE, oval(-half, -3, half, 3));
        fill(g, SHOE, oval(0.5f, -3, half + 0.5f, 3));
        fill(g, shirt, round(-half, shoulders, 2 * half, chest + 2, 3));
        fill(g, SKIN, oval(-half - 1.5f, hips - 2, 3, 3));
        fill(g, SKIN, oval(half - 1.5f, hips - 2, 3, 3));
        fill(g, overalls, round(-half + 1, hips, 2 * half - 2, legs * 0.6f, 2));
        fill(g, overalls, round(-half + 1, hips, half - 1.4f, legs, 2));
        fill(g, overalls, round(0.4f, hips, half - 1.4f, legs, 2));
        fill(g, overalls, round(-half + 1.5f, shoulders, 1.8f, chest + 1, 1));
        fill(g, overalls, round(half - 3.3f, shoulders, 1.8f, chest + 1, 1));
        fill(g, YELLOW, oval(-half + 1.8f, hips + 0.6f, 1.2f, 1.2f));
        fill(g, YELLOW, oval(half - 3f, hips + 0.6f, 1.2f, 1.2f));
        float face = shoulders - 5.5f;
        fill(g, SKIN, oval(-half + 1.5f, face, 2 * half - 2, 6.5f));
        fill(g, DARK, oval(half - 3.5f, face + 2.5f, 1.4f, 2));
        fill(g, shirt, dome(-half + 1, face - 1, 2 * half - 2.5f, 3.5f));
        fill(g, shirt, round(-half + 1, face + 1.2f, 2 * half + 1.5f, 1.8f, 1.8f));
    }

    /** A goomba: a brown mushroom-shaped body with big eyes on short dark feet. */
    private static void goomba(Graphics2D g) {
        fill(g, DARK, oval(-7.5f, -3, 6.5f, 3));
        fill(g, DARK, oval(1, -3, 6.5f, 3));
        fill(g, GOOMBA_BODY, polygon(-7.5f, -6, 7.5f, -6, 4.5f, -2, -4.5f, -2));
        fill(g, GOOMBA, dome(-7.5f, -15, 15, 9.5f));
        fill(g, WHITE, oval(-4.5f, -12, 3.5f, 4.5f));
        fill(g, WHITE, oval(1.5f, -12, 3.5f, 4.5f));
        fill(g, DARK, oval(-2.8f, -10.8f, 1.7f, 2.4f));
        fill(g, DARK, oval(3.2f, -10.8f, 1.7f, 2.4f));
    }

    /** A koopa: a domed shell in {@code colour} with a yellow head on a neck, in front. */
    private static void koopa(Graphics2D g, Color colour) {
        fill(g, KOOPA_SKIN, oval(-5, -3.5f, 4, 3.5f));
        fill(g, KOOPA_SKIN, oval(1, -3.5f, 4, 3.5f));
        fill(g, KOOPA_SKIN, round(3, -15, 3.5f, 12, 3));
        fill(g, KOOPA_SKIN, oval(2, -21.5f, 7, 7));
        fill(g, WHITE, oval(5, -20, 2.5f, 3));
        fill(g, DARK, oval(6.2f, -19, 1.2f, 1.8f));
        shell(g, colour, -1.5f);
    }

    /** A shell: a dome in {@code colour} with a lighter rim, its middle at x = {@code middle}. */
    private static void shell(Graphics2D g, Color colour, float middle) {
        fill(g, colour, dome(middle - 6.5f, -14, 13, 10));
        fill(g, colour.darker(), dome(middle - 3.5f, -11.5f, 7, 6));
        fill(g, colour, dome(middle - 2.5f, -10.5f, 5, 5));
        fill(g, mix(colour, WHITE), round(middle - 7.5f, -5, 15, 3, 3));
    }

    /** A spiky: a magenta dome with white spikes, a face in front and small feet. */
    private static void spiky(Graphics2D g) {
        fill(g, SKIN, oval(-5.5f, -3, 4, 3));
        fill(g, SKIN, oval(1.5f, -3, 4, 3));
        for (int spike = 0; spike < 4; spike++) {
            double angle = Math.toRadians(155 - spike * 38);
            float cos = (float) Math.cos(angle);
            float sin = (float) Math.sin(angle);
            // a triangle whose base sits on the dome and whose tip points away from its middle
            float bx = 6.5f * cos;
            float by = -2 - 10 * sin;
            float tx = 9.5f * cos;
            float ty = -2 - 13.5f * sin;
            fill(g, WHITE, polygon(bx - 2 * sin, by - 2 * cos, bx + 2 * sin, by + 2 * cos, tx, ty));
        }
        fill(g, SPIKY, dome(-7, -12.5f, 14, 10.5f));
        fill(g, SKIN, oval(1.5f, -8.5f, 5, 5));
        fill(g, DARK, oval(4, -7.5f, 1.4f, 2));
    }

    /** A bullet bill: a dark capsule flying right with a grey tail band, one eye and a small arm. */
    private static void bulletBill(Graphics2D g) {
        fill(g, BULLET, round(-7, -13, 15, 12, 11));
        fill(g, BULLET_BACK, round(-8, -13, 3, 12, 1.5f));
        fill(g, WHITE, oval(2, -11, 3.5f, 4.5f));
        fill(g, DARK, oval(3.6f, -9.8f, 1.5f, 2.2f));
        fill(g, WHITE, round(-2.5f, -5, 4.5f, 2, 2));
    }

    /** A piranha plant: a round red head with white spots and an open mouth, on a leafy stem. */
    private static void piranhaPlant(Graphics2D g) {
        fill(g, LEAF, round(-1, -11, 2, 11, 1));
        fill(g, LEAF, tilted(-4, -5, 6, 3, -25));
        fill(g, LEAF, tilted(4, -5, 6, 3, 25));
        fill(g, RED, oval(-6, -21, 12, 12));
        fill(g, DARK, new Arc2D.Float(-6, -21, 12, 12, 55, 70, Arc2D.PIE));
        fill(g, WHITE, oval(-4.5f, -15, 2.5f, 2.5f));
        fill(g, WHITE, oval(2.2f, -14, 2, 2));
        fill(g, WHITE, oval(-1, -12.5f, 2, 2));
    }

    /** A mushroom: a domed cap in {@code colour} with white spots, on a pale stem. */
    private static void mushroom(Graphics2D g, Color colour) {
        fill(g, STEM, round(-4.5f, -7.5f, 9, 7.5f, 4));
        fill(g, colour, dome(-7.5f, -14.5f, 15, 8.5f));
        fill(g, WHITE, oval(-5, -11.5f, 3, 3));
        fill(g, WHITE, oval(-1, -14, 3, 2.5f));
        fill(g, WHITE, oval(3, -10.5f, 2.8f, 2.8f));
    }

    /** A fire flower: orange and yellow rings on a green stem with two leaves. */
    private static void fireFlower(Graphics2D g) {
        fill(g, LEAF, round(-1, -7, 2, 7, 1));
        fill(g, LEAF, tilted(-3.5f, -3, 5, 2.5f, -20));
        fill(g, LEAF, tilted(3.5f, -3, 5, 2.5f, 20));
        fill(g, ORANGE, oval(-6, -16, 12, 10));
        fill(g, YELLOW, oval(-4, -14.2f, 8, 6.4f));
        fill(g, WHITE, oval(-1.8f, -12.3f, 3.6f, 2.6f));
    }

    /** A fireball: an orange ball with a yellow middle. */
    private static void fireball(Graphics2D g) {
        fill(g, ORANGE, oval(-3, -6, 6, 6));
        fill(g, YELLOW, oval(-1.6f, -4.6f, 3.2f, 3.2f));
    }

    /** A white wing on the back (x &lt; 0), its middle at height {@code y}. */
    private static void wing(Graphics2D g, float y) {
        fill(g, WING_EDGE, tilted(-6.5f, y, 8, 5, -35));
        fill(g, WING, tilted(-6.5f, y - 0.4f, 6.8f, 3.8f, -35));
    }

    private static void fill(Graphics2D g, Color colour, Shape shape) {
        g.setColor(colour);
        g.fill(shape);
    }

    private static Shape oval(float x, float y, float w, float h) {
        return new Ellipse2D.Float(x, y, w, h);
    }

    private static Shape round(float x, float y, float w, float h, float arc) {
        return new RoundRectangle2D.Float(x, y, w, h, arc, arc);
    }

    /** The top half of an oval: {@code w} wide and {@code h} tall with its top edge at {@code y}. */
    private static Shape dome(float x, float y, float w, float h) {
        return new Arc2D.Float(x, y, w, 2 * h, 0, 180, Arc2D.CHORD);
    }

    /** An oval {@code w} by {@code h} centred on (cx, cy), turned by {@code degrees}. */
    private static Shape tilted(float cx, float cy, float w, float h, double degrees) {
        Shape oval = oval(cx - w / 2, cy - h / 2, w, h);
        return AffineTransform.getRotateInstance(Math.toRadians(degrees), cx, cy)
            .createTransformedShape(oval);
    }

    private static Shape polygon(float... xy) {
        Path2D.Float path = new Path2D.Float();
        path.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            path.lineTo(xy[i], xy[i + 1]);
        }
        path.closePath();
        return path;
    }

    /** Halfway between {@code a} and {@code b}. */
    private static Color mix(Color a, Color b) {
        return new Color((a.getRed() + b.getRed()) / 2, (a.getGreen() + b.getGreen()) / 2,
            (a.getBlue() + b.getBlue()) / 2);
    }
}
