package play;

import engine.Sprite;
import engine.SpriteKind;
import java.awt.Color;
import java.awt.Graphics2D;
import java.util.EnumMap;
import java.util.Map;
import sprites.Mario;

/**
 * Our own small pixel drawings of the sprites, one character per game pixel, facing right.
 *
 * <p>A drawing stands on the sprite's feet (its x, y) and is mirrored when the sprite faces left.
 * Letters pick colours from {@link #PALETTE}; a space is transparent.
 */
final class SpriteArt {
    private static final Map<Character, Color> PALETTE = Map.ofEntries(
        Map.entry('R', new Color(216, 40, 0)),     // Mario's cap and shirt, mushroom caps
        Map.entry('B', new Color(32, 56, 236)),    // Mario's overalls
        Map.entry('S', new Color(252, 188, 116)),  // skin
        Map.entry('K', new Color(40, 24, 8)),      // hair, shoes, outlines, eyes
        Map.entry('W', Color.WHITE),
        Map.entry('C', new Color(160, 82, 28)),    // goomba
        Map.entry('T', new Color(240, 208, 160)),  // goomba feet, mushroom stems
        Map.entry('G', new Color(0, 168, 0)),      // green koopa shell, leaves, 1-up cap
        Map.entry('D', new Color(0, 100, 0)),      // dark green
        Map.entry('r', new Color(228, 0, 40)),     // red koopa shell, piranha head
        Map.entry('Y', new Color(248, 216, 72)),   // koopa skin, flower centre
        Map.entry('P', new Color(220, 40, 140)),   // spiky body
        Map.entry('O', new Color(252, 120, 0)),    // fire
        Map.entry('N', new Color(24, 24, 24)));    // bullet bill

    private static final String[] SMALL_MARIO = {
        "     RRRRRR     ",
        "    RRRRRRRRRR  ",
        "    KKKSSKS     ",
        "   KSKSSSKSSS   ",
        "   KSKKSSSSKSSS ",
        "   KKSSSSKKKKK  ",
        "     SSSSSSSS   ",
        "    RRBRRRBR    ",
        "   RRRBRRRBRRR  ",
        "  SSRRBBBBBRRSS ",
        "  SSSBBWBBWBSSS ",
        "  SS BBBBBBB SS ",
        "     BBB  BBB   ",
        "    BBB    BBB  ",
        "   KKKK    KKKK ",
        "  KKKKK    KKKKK",
    };
    /** Large Mario: the small drawing with the body and legs drawn taller (24 pixels). */
    private static final String[] LARGE_MARIO = stretch(SMALL_MARIO,
        0, 1, 2, 3, 4, 5, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 15, 15);
    private static final String[] GOOMBA = {
        "      CCCC      ",
        "     CCCCCC     ",
        "    CCCCCCCC    ",
        "   CKKCCCCKKC   ",
        "  CCCWKCCKWCCC  ",
        "  CCCWKCCKWCCC  ",
        " CCCCWWCCWWCCCC ",
        " CCCCCCCCCCCCCC ",
        " CCCCCKKKKCCCCC ",
        "  CCCCCCCCCCCC  ",
        "     TTTTTT     ",
        "    TTTTTTTT    ",
        "   KKTTTTTTT    ",
        "  KKKKKTTTKKK   ",
        "  KKKKKK KKKKK  ",
        "   KKKK  KKKK   ",
    };
    private static final String[] KOOPA = {
        "          YYY   ",
        "         YYYYY  ",
        "         YWKYY  ",
        "         YWKYYY ",
        "         YYYYYYY",
        "          YYYYY ",
        "          YYY   ",
        "          YYY   ",
        "         YYY    ",
        "     xxx YYY    ",
        "    xxWxxYYY    ",
        "   xxWxxxWYY    ",
        "  xxxxxWxxxY    ",
        "  xWxxxWxxxWY   ",
        " xxxxxWxxxWxY   ",
        " xWxxxxxxxxxY   ",
        " WWWWWWWWWWWY   ",
        "  WWWWWWWWWW    ",
        "   YYY  YYY     ",
        "   YYY  YYY     ",
        "  YYYY  YYYY    ",
        "  KKKK  KKKK    ",
    };
    private static final String[] SHELL = {
        "     xxxxxx     ",
        "   xxxWxxWxxx   ",
        "  xxWxxxxxxWxx  ",
        " xxxxWxxxxWxxxx ",
        " xWxxxxWWxxxxWx ",
        "xxxxxxWxxWxxxxxx",
        "xxxWxxxxxxxxWxxx",
        "WWWWWWWWWWWWWWWW",
        " WWWWWWWWWWWWWW ",
        "  KKKKKKKKKKKK  ",
    };
    private static final String[] SPIKY = {
        "  W   W   W   W ",
        "  WW  WW  WW  WW",
        " PPPPPPPPPPPPPP ",
        "WPPPPPPPPPPPPPPP",
        "PPPPPPPPPPPPPPPW",
        "WPPPPPPPPPSSSSP ",
        "PPPPPPPPPSWKSSS ",
        "WPPPPPPPPSWKSSS ",
        "PPPPPPPPPPSSSS  ",
        " PPPPPPPPPPPP   ",
        "  SSS    SSS    ",
        "  SSSS   SSSS   ",
    };
    private static final String[] BULLET_BILL = {
        "    NNNNNNNN    ",
        "  NNNNNNNNNNNN  ",
        " NNNNNNNWWNNNNN ",
        "WNNNNNNWKWNNNNNN",
        "WNNNNNNWKWNNNNNN",
        "WNNNNNNNWWNNNNNN",
        "WNNNNNNNNNNNNNNN",
        "WNNNNNNNNNNNNNNN",
        "WNNNNNNNNNNNNNNN",
        " NNNNNNNNNNNNNN ",
        "  NNNNNNNNNNNN  ",
        "    NNNNNNNN    ",
    };
    private static final String[] PIRANHA_PLANT = {
        "     rrrrrr     ",
        "   rrWrrrrWrr   ",
        "  rrrrrrrrrrrr  ",
        "  rWrrrWWrrrWr  ",
        "   rrrrrrrrrr   ",
        "    WKWKWKWK    ",
        "    KWKWKWKW    ",
        "   rrrrrrrrrr   ",
        "  rrWrrrrrrWrr  ",
        "   rrrrrrrrrr   ",
        "       GG       ",
        " GG    GG    GG ",
        " GGG   GG   GGG ",
        "  GGG  GG  GGG  ",
        "   GGGGGGGGGG   ",
        "    GGGGGGGG    ",
        "       GG       ",
        "       GG       ",
        "       GG       ",
        "       GG       ",
    };
    private static final String[] MUSHROOM = {
        "      xxxx      ",
        "    xxxxWWxx    ",
        "   xxxxWWWWxx   ",
        "  xWWxxWWWWxxx  ",
        " xWWWWxxxxxxWWx ",
        " xWWWWxxxxxWWWWx",
        "xxxWWxxxxxxWWWWx",
        "xxxxxxxxxxxxWWxx",
        " xxKTTTTTTTTKxx ",
        "   TTKTTTTKTT   ",
        "   TTKTTTTKTT   ",
        "   TTTTTTTTTT   ",
        "    TTTTTTTT    ",
    };
    private static final String[] FIRE_FLOWER = {
        "     OOOOOO     ",
        "   OOYYYYYYOO   ",
        "  OYYWWWWWWYYO  ",
        "  OYYWWWWWWYYO  ",
        "   OOYYYYYYOO   ",
        "     OOOOOO     ",
        "       GG       ",
        " GG    GG    GG ",
        " GGGG  GG  GGGG ",
        "  GGGG GG GGGG  ",
        "   GGGGGGGGGG   ",
        "     GGGGGG     ",
    };
    private static final String[] FIREBALL = {
        "  OO  ",
        " OYYO ",
        "OYWWYO",
        "OYWWYO",
        " OYYO ",
        "  OO  ",
    };
    private static final String[] WING = {
        "   WW",
        "  WWW",
        " WWWW",
        "WWWWK",
        "WWWK ",
        " KK  ",
    };

    private static final Map<SpriteKind, Color> SHELL_COLOUR = new EnumMap<>(Map.of(
        SpriteKind.GREEN_KOOPA, PALETTE.get('G'), SpriteKind.GREEN_KOOPA_WINGED, PALETTE.get('G'),
        SpriteKind.RED_KOOPA, PALETTE.get('r'), SpriteKind.RED_KOOPA_WINGED, PALETTE.get('r'),
        SpriteKind.SHELL, PALETTE.get('G'), SpriteKind.MUSHROOM, PALETTE.get('R'),
        SpriteKind.LIFE_MUSHROOM, PALETTE.get('G')));

    private SpriteArt() {
    }

    /** Draws {@code sprite} with its feet at (px, py) in game pixels. */
    static void draw(Graphics2D g, Sprite sprite, int px, int py) {
        boolean left = sprite.facing < 0;
        switch (sprite.kind) {
            case MARIO: drawMario(g, (Mario) sprite, px, py, left); break;
            case GOOMBA: case GOOMBA_WINGED: paint(g, GOOMBA, px, py, left, null, null); break;
            case GREEN_KOOPA: case GREEN_KOOPA_WINGED: case RED_KOOPA: case RED_KOOPA_WINGED:
                paint(g, KOOPA, px, py, left, SHELL_COLOUR.get(sprite.kind), null);
                break;
            case SPIKY: case SPIKY_WINGED: paint(g, SPIKY, px, py, left, null, null); break;
            case BULLET_BILL: paint(g, BULLET_BILL, px, py, left, null, null); break;
            case PIRANHA_PLANT: paint(g, PIRANHA_PLANT, px, py, false, null, null); break;
            case SHELL: paint(g, SHELL, px, py, false, SHELL_COLOUR.get(sprite.kind), null); break;
            case MUSHROOM: case LIFE_MUSHROOM:
                paint(g, MUSHROOM, px, py, false, SHELL_COLOUR.get(sprite.kind), null);
                break;
            case FIRE_FLOWER: paint(g, FIRE_FLOWER, px, py, false, null, null); break;
            case FIREBALL: paint(g, FIREBALL, px, py, false, null, null); break;
            default: break;
        }
        if (sprite.kind.winged && sprite instanceof sprites.Enemy && ((sprites.Enemy) sprite).isWinged()) {
            int back = left ? px + 4 : px - 9;
            paint(g, WING, back + 2, py - 8, !left, null, null);
        }
    }

    /** Mario small, large or fire (white shirt, red overalls); blinking while invulnerable. */
    private static void drawMario(Graphics2D g, Mario mario, int px, int py, boolean left) {
        if (mario.invulnerableTime > 0 && (mario.invulnerableTime / 2) % 2 == 1) {
            return;
        }
        String[] art = mario.isLarge() && !mario.ducking ? LARGE_MARIO : SMALL_MARIO;
        boolean fire = mario.mode() == engine.MarioMode.FIRE;
        paint(g, art, px, py, left, null, fire ? new Color[] {PALETTE.get('W'), PALETTE.get('R')} : null);
    }

    /**
     * Paints {@code art} standing on (px, py): {@code x} pixels in {@code variable} (a shell or cap
     * colour); {@code fire} swaps Mario's shirt and overalls to white and red.
     */
    private static void paint(Graphics2D g, String[] art, int px, int py, boolean mirror, Color variable,
            Color[] fire) {
        int width = art[0].length();
        int left = px - width / 2;
        int top = py - art.length + 1;
        for (int row = 0; row < art.length; row++) {
            String line = art[row];
            for (int column = 0; column < width; column++) {
                char c = line.charAt(mirror ? width - 1 - column : column);
                if (c == ' ') {
                    continue;
                }
                Color colour = c == 'x' ? variable : PALETTE.get(c);
                if (fire != null && (c == 'R' || c == 'B')) {
                    colour = c == 'R' ? fire[0] : fire[1];
                }
                g.setColor(colour);
                g.fillRect(left + column, top + row, 1, 1);
            }
        }
    }

    /** A taller drawing made of the rows of {@code art} in the order given. */
    private static String[] stretch(String[] art, int... rows) {
        String[] tall = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            tall[i] = art[rows[i]];
        }
        return tall;
    }
}
