package io;

import engine.SpriteKind;
import engine.Tile;

/**
 * The two level text alphabets.
 *
 * <p>{@link #VGLC}: the Video Game Level Corpus / MarioVAE characters {@code X S - ? Q E < > [ ] o}
 * plus VGLC's cannon {@code B} (top) and {@code b} (body). {@link #MARIO_AI}: the Mario AI
 * Framework's extended alphabet. Both accept {@code M} (Mario's start) and {@code F} (finish).
 * {@link #characters()} lists what each one reads (the `serve` handshake reports it).
 */
public enum Alphabet {
    VGLC("vglc", "XS?Q<>[]B"),
    MARIO_AI("mario-ai", "X#@!BCQ<>[]?SUD%tT");

    /** Marks Mario's start tile (empty space otherwise). */
    public static final char START = 'M';
    /** Marks the finish column (empty space otherwise). */
    public static final char FINISH = 'F';
    /** MarioVAE's tile ids: id {@code i} is the VGLC character {@code TILE_IDS.charAt(i)}. */
    public static final String TILE_IDS = "XS-?QE<>[]o";

    public final String label;
    /** Characters that count as floor when looking for the default start and finish rows. */
    private final String floorChars;

    Alphabet(String label, String floorChars) {
        this.label = label;
        this.floorChars = floorChars;
    }

    /** The alphabet named {@code label} ("vglc" or "mario-ai"). */
    public static Alphabet parse(String label) {
        for (Alphabet alphabet : values()) {
            if (alphabet.label.equals(label)) {
                return alphabet;
            }
        }
        throw new IllegalArgumentException("unknown alphabet '" + label + "' (expected vglc or mario-ai)");
    }

    /** Every character this alphabet reads, in character order. */
    public String characters() {
        StringBuilder characters = new StringBuilder();
        for (char c = ' '; c <= '~'; c++) {
            if (tileOf(c) >= 0) {
                characters.append(c);
            }
        }
        return characters.toString();
    }

    boolean isFloor(char c) {
        return floorChars.indexOf(c) >= 0;
    }

    /** Tile code of a plain tile character, or -1 if {@code c} is not a plain tile here. */
    int tileOf(char c) {
        switch (c) {
            case '-': case START: case FINISH: return Tile.EMPTY;
            case 'X': return Tile.GROUND;
            case 'S': return Tile.BRICK;
            case '<': return Tile.PIPE_TOP_LEFT;
            case '>': return Tile.PIPE_TOP_RIGHT;
            case '[': return Tile.PIPE_LEFT;
            case ']': return Tile.PIPE_RIGHT;
            case 'o': return Tile.COIN;
            case 'B': return Tile.CANNON_TOP;
            case 'b': return Tile.CANNON_BODY;
            case 'E': return Tile.EMPTY;
            default: break;
        }
        switch (c) {
            // in VGLC's SMB levels '?' marks the power-up blocks and 'Q' the coin blocks (1-1: '?'
            // at the mushroom), the Mario AI Framework's meanings
            case '?': return Tile.POWERUP_QUESTION;
            case 'Q': return Tile.COIN_QUESTION;
            default: break;
        }
        if (this == VGLC) {
            return -1;
        }
        switch (c) {
            case 'g': case 'G': case 'k': case 'K': case 'r': case 'R': case 'y': case 'Y': return Tile.EMPTY;
            case '#': return Tile.BLOCK;
            case '%': return Tile.PLATFORM;
            case '|': return Tile.PLATFORM_BACKGROUND;
            case '@': return Tile.POWERUP_QUESTION;
            case '!': return Tile.COIN_QUESTION;
            case '1': return Tile.HIDDEN_LIFE;
            case '2': return Tile.HIDDEN_COIN;
            case 'D': return Tile.USED;
            case 'C': return Tile.COIN_BRICK;
            case 'U': return Tile.POWERUP_BRICK;
            case 'L': return Tile.LIFE_BRICK;
            case '*': case 't': case 'T': return Tile.EMPTY; // shaped by the parser from neighbours
            default: return -1;
        }
    }

    /** Enemy spawned by character {@code c}, or null. */
    SpriteKind enemyOf(char c) {
        if (c == 'E') {
            return SpriteKind.GOOMBA;
        }
        if (this == VGLC) {
            return null;
        }
        switch (c) {
            case 'g': return SpriteKind.GOOMBA;
            case 'G': return SpriteKind.GOOMBA_WINGED;
            case 'k': return SpriteKind.GREEN_KOOPA;
            case 'K': return SpriteKind.GREEN_KOOPA_WINGED;
            case 'r': return SpriteKind.RED_KOOPA;
            case 'R': return SpriteKind.RED_KOOPA_WINGED;
            case 'y': return SpriteKind.SPIKY;
            case 'Y': return SpriteKind.SPIKY_WINGED;
            default: return null;
        }
    }
}
