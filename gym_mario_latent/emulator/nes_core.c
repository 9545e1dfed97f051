/* The NES core: see nes_core.h for the timing model. Facts from the NESdev wiki (CPU opcode table and
 * cycle counts, PPU registers, scrolling, rendering timing, iNES header) and nes-py 9's documented
 * behaviour where the two must agree bit for bit. */
#include "nes_core.h"

#include <stdlib.h>
#include <string.h>

/* --- palette: the 2C02's 64 colours as 0x00RRGGBB (the table nes-py draws with) ---------------------- */
static const uint32_t COLORS[64] = {
    0x7C7C7C, 0x0000FC, 0x0000BC, 0x4428BC, 0x940084, 0xA80020, 0xA81000, 0x881400,
    0x503000, 0x007800, 0x006800, 0x005800, 0x004058, 0x000000, 0x000000, 0x000000,
    0xBCBCBC, 0x0078F8, 0x0058F8, 0x6844FC, 0xD800CC, 0xE40058, 0xF83800, 0xE45C10,
    0xAC7C00, 0x00B800, 0x00A800, 0x00A844, 0x008888, 0x000000, 0x000000, 0x000000,
    0xF8F8F8, 0x3CBCFC, 0x6888FC, 0x9878F8, 0xF878F8, 0xF85898, 0xF87858, 0xFCA044,
    0xF8B800, 0xB8F818, 0x58D854, 0x58F898, 0x00E8D8, 0x787878, 0x000000, 0x000000,
    0xFCFCFC, 0xA4E4FC, 0xB8B8F8, 0xD8B8F8, 0xF8B8F8, 0xF8A4C0, 0xF0D0B0, 0xFCE0A8,
    0xF8D878, 0xD8F878, 0xB8F8B8, 0xB8F8D8, 0x00FCFC, 0xF8D8F8, 0x000000, 0x000000,
};

enum { PHASE_PRE = 0, PHASE_VISIBLE = 1, PHASE_POST = 2, PHASE_VBLANK = 3 };
enum { FLAG_C = 0x01, FLAG_Z = 0x02, FLAG_I = 0x04, FLAG_D = 0x08, FLAG_B = 0x10, FLAG_U = 0x20,
       FLAG_V = 0x40, FLAG_N = 0x80 };
#define LINE_END 341 /* the dot counter value that ends a line */

/* --- PPU memory --------------------------------------------------------------------------------------- */
static inline uint8_t palette_index(uint16_t address) {
    uint8_t i = address & 0x1F;
    if ((i & 0x10) && (i & 0x03) == 0) i &= 0x0F; /* sprite colour 0 mirrors the background's */
    return i;
}

/* The 1 KiB of VRAM that PPU address `address` (0x2000-0x3EFF) falls in, after the mirroring. */
static inline uint8_t *nametable_at(nes *n, uint16_t address) {
    return n->s.vram + n->nametable[(address >> 10) & 3];
}

static uint8_t ppu_read(nes *n, uint16_t address) {
    address &= 0x3FFF;
    if (address < 0x2000) return n->chr[address];
    if (address < 0x3F00) return nametable_at(n, address)[address & 0x3FF];
    return n->s.palette[palette_index(address)];
}

static void ppu_write(nes *n, uint16_t address, uint8_t value) {
    address &= 0x3FFF;
    if (address < 0x2000) {
        if (n->chr_is_ram) n->s.chr_ram[address] = value;
    } else if (address < 0x3F00) {
        nametable_at(n, address)[address & 0x3FF] = value;
    } else {
        n->s.palette[palette_index(address)] = value;
    }
}

/* --- CPU interrupts ----------------------------------------------------------------------------------- */
static inline uint8_t bus_read(nes *n, uint16_t address);
static inline void bus_write(nes *n, uint16_t address, uint8_t value);

static inline void push(nes *n, uint8_t value) { n->s.ram[0x100 | n->s.sp--] = value; }
static inline uint8_t pull(nes *n) { return n->s.ram[0x100 | ++n->s.sp]; }

static void interrupt(nes *n, uint16_t vector, int brk) {
    nes_state *s = &n->s;
    push(n, s->pc >> 8);
    push(n, s->pc & 0xFF);
    push(n, brk ? (s->p | FLAG_U | FLAG_B) : ((s->p | FLAG_U) & ~FLAG_B));
    s->p |= FLAG_I;
    s->pc = bus_read(n, vector) | (bus_read(n, vector + 1) << 8);
    n->next_exec += 7; /* the CPU takes the interrupt's 7 cycles before its next instruction */
}

/* --- PPU rendering ------------------------------------------------------------------------------------ */
static uint16_t sprite_row_address(const nes_state *s, uint8_t tile, int row) {
    if (!s->tall_sprites) return (uint16_t)(tile * 16 + row + (s->sprite_page ? 0x1000 : 0));
    row = (row & 7) | ((row & 8) << 1);
    return (uint16_t)(((tile >> 1) * 32 + row) | ((tile & 1) << 12));
}

static void evaluate_sprites(nes *n) {
    nes_state *s = &n->s;
    n->sprite_line_valid = 0;
    int height = s->tall_sprites ? 16 : 8;
    if (!n->draw && s->line != 239) {
        /* An undrawn line only needs to know whether sprite 0 heads the next line's list (for sprite 0
         * hit); the last line's list is kept whole, since the next frame's first line uses it. */
        int diff = s->line - s->oam[0];
        s->line_sprites[0] = 0;
        s->line_sprite_count = s->oam_addr < 4 && diff >= 0 && diff < height;
        return;
    }
    s->line_sprite_count = 0;
    memset(s->line_sprites, 0, sizeof s->line_sprites);
    for (int i = s->oam_addr / 4; i < 64; i++) {
        int diff = s->line - s->oam[i * 4];
        if (diff >= 0 && diff < height) {
            s->line_sprites[s->line_sprite_count++] = (uint8_t)i;
            if (s->line_sprite_count >= 8) break;
        }
    }
}

/* One visible dot: the background and sprite pixel at x, sprite 0 hit, the coarse-X increment. */
static void visible_dot(nes *n, int x) {
    nes_state *s = &n->s;
    uint8_t bg = 0, spr = 0;
    int bg_opaque = 0, spr_opaque = 0, spr_front = 0;
    if (s->show_bg) {
        int fine = (s->fine_x + x) & 7;
        if (!s->clip_bg || x >= 8) {
            uint16_t v = s->v;
            uint8_t tile = ppu_read(n, 0x2000 | (v & 0x0FFF));
            uint16_t pattern = (uint16_t)(tile * 16 + ((v >> 12) & 7)) | (s->bg_page << 12);
            uint8_t low = ppu_read(n, pattern), high = ppu_read(n, pattern + 8);
            uint8_t attribute = ppu_read(n, 0x23C0 | (v & 0x0C00) | ((v >> 4) & 0x38) | ((v >> 2) & 0x07));
            bg = ((low >> (7 ^ fine)) & 1) | (((high >> (7 ^ fine)) & 1) << 1);
            bg_opaque = bg != 0;
            int shift = ((v >> 4) & 4) | (v & 2);
            bg |= ((attribute >> shift) & 3) << 2;
        }
        if (fine == 7) {
            if ((s->v & 0x001F) == 31) {
                s->v &= ~0x001F;
                s->v ^= 0x0400;
            } else {
                s->v += 1;
            }
        }
    }
    if (s->show_sprites && (!s->clip_sprites || x >= 8)) {
        int height = s->tall_sprites ? 16 : 8;
        for (int k = 0; k < s->line_sprite_count; k++) {
            int i = s->line_sprites[k];
            int sx = s->oam[i * 4 + 3];
            if (x - sx < 0 || x - sx >= 8) continue;
            uint8_t top = (uint8_t)(s->oam[i * 4] + 1), tile = s->oam[i * 4 + 1], attr = s->oam[i * 4 + 2];
            int column = (x - sx) % 8, row = (s->line - top) % height;
            if (!(attr & 0x40)) column ^= 7;
            if (attr & 0x80) row ^= height - 1;
            uint16_t address = sprite_row_address(s, tile, row);
            spr = (ppu_read(n, address) >> column) & 1;
            spr |= ((ppu_read(n, address + 8) >> column) & 1) << 1;
            spr_opaque = spr != 0;
            if (!spr_opaque) {
                spr = 0;
                continue;
            }
            spr |= 0x10 | ((attr & 3) << 2);
            spr_front = !(attr & 0x20);
            if (!s->sprite0_hit && s->show_bg && i == 0 && bg_opaque) {
                s->sprite0_hit = 1;
                if (n->watching && !n->change_dot) n->change_dot = n->dot_pos;
            }
            break;
        }
    }
    if (n->draw) {
        uint8_t colour = bg;
        if ((!bg_opaque && spr_opaque) || (bg_opaque && spr_opaque && spr_front))
            colour = spr;
        else if (!bg_opaque && !spr_opaque)
            colour = 0;
        n->screen[s->line * NES_WIDTH + x] = COLORS[s->palette[palette_index(colour)] & 0x3F];
    }
}

static inline void copy_horizontal(nes_state *s) { s->v = (s->v & ~0x041F) | (s->t & 0x041F); }

static void increment_fine_y(nes_state *s) {
    if ((s->v & 0x7000) != 0x7000) {
        s->v += 0x1000;
        return;
    }
    s->v &= ~0x7000;
    int y = (s->v & 0x03E0) >> 5;
    if (y == 29) {
        y = 0;
        s->v ^= 0x0800;
    } else if (y == 31) {
        y = 0;
    } else {
        y += 1;
    }
    s->v = (s->v & ~0x03E0) | (y << 5);
}

/* One PPU dot; returns whether it raised an NMI. */
static int ppu_dot(nes *n) {
    nes_state *s = &n->s;
    int rendering = s->show_bg && s->show_sprites, nmi = 0;
    switch (s->phase) {
    case PHASE_PRE:
        if (s->dot == 1) {
            if (n->watching && s->sprite0_hit && !n->change_dot) n->change_dot = n->dot_pos;
            s->vblank = s->sprite0_hit = 0;
        }
        else if (s->dot == 258 && rendering)
            copy_horizontal(s);
        else if (s->dot > 280 && s->dot <= 304 && rendering)
            s->v = (s->v & ~0x7BE0) | (s->t & 0x7BE0);
        if (s->dot >= LINE_END - (!s->even_frame && rendering)) {
            s->phase = PHASE_VISIBLE;
            s->dot = s->line = 0;
        }
        break;
    case PHASE_VISIBLE:
        if (s->dot > 0 && s->dot <= 256)
            visible_dot(n, s->dot - 1);
        else if (s->dot == 257 && s->show_bg)
            increment_fine_y(s);
        else if (s->dot == 258 && rendering)
            copy_horizontal(s);
        if (s->dot >= LINE_END) {
            evaluate_sprites(n);
            s->line++;
            s->dot = 0;
        }
        if (s->line >= 240) s->phase = PHASE_POST;
        break;
    case PHASE_POST:
        if (s->dot >= LINE_END) {
            s->line++;
            s->dot = 0;
            s->phase = PHASE_VBLANK;
        }
        break;
    default: /* vertical blank */
        if (s->dot == 1 && s->line == 241) {
            s->vblank = 1;
            if (s->nmi_enabled) {
                interrupt(n, 0xFFFA, 0);
                nmi = 1;
            }
        }
        if (s->dot >= LINE_END) {
            s->line++;
            s->dot = 0;
        }
        if (s->line >= 261) {
            s->phase = PHASE_PRE;
            s->line = 0;
            s->even_frame = !s->even_frame;
        }
        break;
    }
    s->dot++;
    return nmi;
}

/* The next dot value (>= the current one) at which ppu_dot does more than count: the dots before it can
 * be skipped by adding to the counter. Visible dots 1-256 are their own case (visible_span). */
static int next_event_dot(const nes_state *s) {
    int dot = s->dot, rendering = s->show_bg && s->show_sprites;
    switch (s->phase) {
    case PHASE_PRE: {
        int end = LINE_END - (!s->even_frame && rendering);
        if (dot <= 1) return 1;
        if (!rendering) return end;
        if (dot <= 258) return 258;
        if (dot <= 281) return 281;
        if (dot <= 304) return dot;
        return end;
    }
    case PHASE_VISIBLE:
        if (dot <= 258) return dot;
        return LINE_END;
    case PHASE_POST: return LINE_END;
    default:
        if (s->line == 241 && dot <= 1) return 1;
        return LINE_END;
    }
}

/* Coarse-X increments of the background pixels x in [from, to) that are not looked at (one per pixel whose
 * fine X is 7): coarse X advances by their count, switching the horizontal nametable at each wrap. */
static void skip_background(nes_state *s, int from, int to) {
    int first = from + ((7 - s->fine_x - from) & 7);
    if (first >= to) return;
    int total = (s->v & 0x001F) + (to - 1 - first) / 8 + 1;
    s->v = (uint16_t)((s->v & ~0x001F) | (total & 0x1F));
    if ((total >> 5) & 1) s->v ^= 0x0400;
}

/* The current line's sprite pixels, as visible_dot picks them (the first sprite of the line's list with an
 * opaque pixel at x wins): 0 none, else 0x10 | palette << 2 | pixel, 0x20 behind the background,
 * 0x40 sprite 0. Rebuilt when a register write or a new line may have changed them. */
static void build_sprite_line(nes *n) {
    nes_state *s = &n->s;
    int height = s->tall_sprites ? 16 : 8;
    memset(n->sprite_line, 0, sizeof n->sprite_line);
    for (int k = 0; k < s->line_sprite_count; k++) {
        int i = s->line_sprites[k], sx = s->oam[i * 4 + 3];
        uint8_t top = (uint8_t)(s->oam[i * 4] + 1), tile = s->oam[i * 4 + 1], attr = s->oam[i * 4 + 2];
        int row = (s->line - top) % height;
        if (attr & 0x80) row ^= height - 1;
        uint16_t address = sprite_row_address(s, tile, row);
        uint8_t low = ppu_read(n, address), high = ppu_read(n, address + 8);
        uint8_t tag = (uint8_t)(0x10 | ((attr & 3) << 2) | ((attr & 0x20) ? 0x20 : 0) | (i == 0 ? 0x40 : 0));
        for (int col = 0; col < 8 && sx + col < NES_WIDTH; col++) {
            int column = (attr & 0x40) ? col : col ^ 7;
            uint8_t pixel = ((low >> column) & 1) | (((high >> column) & 1) << 1);
            if (pixel && !n->sprite_line[sx + col]) n->sprite_line[sx + col] = tag | pixel;
        }
    }
    uint8_t any = 0;
    for (int x = 0; x < NES_WIDTH; x++) any |= n->sprite_line[x];
    n->sprite_line_any = any != 0;
    n->sprite_line_valid = 1;
}

/* SPREAD[b]: byte f (little end first) holds bit 7 - f of b: a pattern byte as eight left-to-right pixels. */
static uint64_t SPREAD[256];

static void init_spread(void) {
    for (int b = 0; b < 256; b++) {
        uint64_t spread = 0;
        for (int f = 0; f < 8; f++) spread |= (uint64_t)((b >> (7 - f)) & 1) << (8 * f);
        SPREAD[b] = spread;
    }
}

static inline int any_sprite(const uint8_t *sprites, int count) {
    uint8_t any = 0;
    for (int i = 0; i < count; i++) any |= sprites[i];
    return any;
}

/* Draw pixels [x0, x1) of the current line: visible_dot's result, a tile (or part of one) at a time. The
 * background's reads go straight to the nametable and pattern memory that ppu_read would pick for them. */
static void draw_span(nes *n, int x0, int x1) {
    nes_state *s = &n->s;
    if (!n->sprite_line_valid) build_sprite_line(n);
    uint32_t colours[32];
    for (int i = 0; i < 32; i++) colours[i] = COLORS[s->palette[palette_index((uint16_t)i)] & 0x3F];
    uint32_t *out = n->screen + s->line * NES_WIDTH;
    const uint8_t *sprites = n->sprite_line_any ? n->sprite_line : NULL;
    const uint8_t *patterns = n->chr + (s->bg_page << 12);
    int show_bg = s->show_bg;
    int sprite_from = !s->show_sprites ? NES_WIDTH : s->clip_sprites ? 8 : 0; /* first x showing sprites */
    int bg_from = s->clip_bg ? 8 : 0;
    int x = x0;
    while (x < x1) {
        int fine = (s->fine_x + x) & 7, run = 8 - fine;
        if (run > x1 - x) run = x1 - x;
        uint64_t pixels = 0; /* eight background colour indexes (0: transparent) */
        if (show_bg) {
            uint16_t v = s->v;
            const uint8_t *table = nametable_at(n, v);
            uint8_t tile = table[v & 0x3FF];
            uint8_t attribute = table[0x3C0 | ((v >> 4) & 0x38) | ((v >> 2) & 0x07)];
            const uint8_t *pattern = patterns + tile * 16 + ((v >> 12) & 7);
            uint64_t upper = ((attribute >> (((v >> 4) & 4) | (v & 2))) & 3) << 2;
            pixels = SPREAD[pattern[0]] | (SPREAD[pattern[8]] << 1);
            pixels |= ((pixels | (pixels >> 1)) & 0x0101010101010101ULL) * upper;
        }
        if (x >= bg_from && (!sprites || !any_sprite(sprites + x, run))) { /* the usual case: background only */
            if (run == 8) {
                for (int f = 0; f < 8; f++) out[x + f] = colours[(uint8_t)(pixels >> (8 * f))];
                x += 8;
            } else {
                for (int f = fine; f < fine + run; f++) out[x++] = colours[(uint8_t)(pixels >> (8 * f))];
            }
        } else {
            for (int f = fine; f < fine + run; f++, x++) {
                uint8_t bg = x >= bg_from ? (uint8_t)(pixels >> (8 * f)) : 0;
                uint8_t sprite = sprites && x >= sprite_from ? sprites[x] : 0;
                if (!sprite) {
                    out[x] = colours[bg];
                    continue;
                }
                if ((sprite & 0x40) && bg && !s->sprite0_hit && show_bg) s->sprite0_hit = 1;
                out[x] = colours[(!bg || !(sprite & 0x20)) ? (sprite & 0x1F) : bg];
            }
        }
        if (show_bg && fine + run == 8) {
            if ((s->v & 0x001F) == 31) {
                s->v &= ~0x001F;
                s->v ^= 0x0400;
            } else {
                s->v += 1;
            }
        }
    }
}

/* Visible dots for pixels [x0, x0 + count) of the current line. Without drawing, only what a later read
 * can see is worked out: the background's coarse-X increments and sprite 0 hit under sprite 0. */
static void visible_span(nes *n, int x0, int count) {
    nes_state *s = &n->s;
    int x1 = x0 + count;
    if (n->draw) {
        draw_span(n, x0, x1);
        return;
    }
    if (!s->show_bg) return; /* no background: no increments, and sprite 0 hit needs the background */
    int lo = x1, hi = x1;
    if (s->show_sprites && !s->sprite0_hit && s->line_sprite_count && s->line_sprites[0] == 0) {
        int sx = s->oam[3];
        lo = sx > x0 ? sx : x0;
        hi = sx + 8 < x1 ? sx + 8 : x1;
        if (lo >= hi) lo = hi = x1;
    }
    skip_background(s, x0, lo);
    for (int x = lo; x < hi; x++) {
        n->dot_pos = n->span_base + (x - x0) + 1;
        visible_dot(n, x);
    }
    skip_background(s, hi, x1);
}

/* Run `count` dots. */
static void ppu_run(nes *n, int count) {
    nes_state *s = &n->s;
    int done = 0;
    long base = n->ppu_dots; /* frame dot index before this run (the callers add `count` after it) */
    while (done < count) {
        int left = count - done, next = next_event_dot(s);
        if (next > s->dot) {
            int step = next - s->dot < left ? next - s->dot : left;
            s->dot += step;
            done += step;
        } else if (s->phase == PHASE_VISIBLE && s->dot >= 1 && s->dot <= 256) {
            int step = 257 - s->dot < left ? 257 - s->dot : left;
            n->span_base = base + done;
            visible_span(n, s->dot - 1, step);
            s->dot += step;
            done += step;
        } else {
            n->dot_pos = base + ++done;
            ppu_dot(n);
        }
    }
}

/* PPU dots (calls of ppu_dot) until and including the one that raises the next NMI; 0 if NMIs are off. */
static long dots_until_vblank(const nes_state *s);
static long dots_until_nmi(const nes_state *s) { return s->nmi_enabled ? dots_until_vblank(s) : 0; }

/* PPU dots until and including the one that sets the vertical blank flag (line 241, dot 1). */
static long dots_until_vblank(const nes_state *s) {
    const long line = LINE_END, to_nmi_from_line0 = 240 * line + line + 1; /* visible, post, the NMI dot */
    int rendering = s->show_bg && s->show_sprites, d = s->dot;
    switch (s->phase) {
    case PHASE_PRE: return (LINE_END - (!s->even_frame && rendering)) - d + 1 + to_nmi_from_line0;
    case PHASE_VISIBLE: return (LINE_END + 1 - d) + (239 - s->line) * line + line + 1;
    case PHASE_POST: return (LINE_END + 1 - d) + 1;
    default:
        if (s->line == 241 && d <= 1) return 2 - d;
        /* the pre-render line after this vertical blank uses the toggled frame parity */
        return (LINE_END + 1 - d) + (260 - s->line) * line + (LINE_END - (s->even_frame && rendering)) +
               to_nmi_from_line0;
    }
}

/* The PPU catches up with the CPU: it runs every dot up to the end of CPU cycle `cycle` of the frame. */
static void catch_up(nes *n, int cycle) {
    long target = 3L * (cycle + 1);
    if (target > n->ppu_dots) {
        ppu_run(n, (int)(target - n->ppu_dots));
        n->ppu_dots = target;
    }
}

/* The CPU cycle of this frame during which the next NMI is raised (NO_NMI if none this frame). */
#define NO_NMI 0x7FFFFFFF
static void schedule_nmi(nes *n) {
    long dots = dots_until_nmi(&n->s);
    long at = n->ppu_dots + dots; /* 1-based dot index within the frame */
    n->nmi_cycle = dots && at <= 3L * NES_CYCLES_PER_FRAME ? (int)((at - 1) / 3) : NO_NMI;
}

/* --- CPU bus ------------------------------------------------------------------------------------------ */
static uint8_t joypad_read(nes_state *s, int port) {
    uint8_t bit;
    if (s->strobe) {
        bit = s->buttons[port] & 1;
    } else {
        bit = s->shift[port] & 1;
        s->shift[port] >>= 1;
    }
    return bit | 0x40;
}

static uint8_t register_read(nes *n, uint16_t address) {
    nes_state *s = &n->s;
    if (address < 0x4000) {
        catch_up(n, n->next_exec);
        switch (address & 7) {
        case 2: {
            uint8_t status = (uint8_t)((s->sprite0_hit << 6) | (s->vblank << 7));
            s->vblank = 0;
            s->first_write = 1;
            return status;
        }
        case 4: return s->oam[s->oam_addr];
        case 7: {
            uint16_t address7 = s->v & 0x3FFF;
            uint8_t value = ppu_read(n, address7);
            s->v += s->increment;
            if (address7 < 0x3F00) {
                uint8_t buffered = s->read_buffer;
                s->read_buffer = value;
                value = buffered;
            }
            return value;
        }
        default: return 0;
        }
    }
    if (address == 0x4016) return joypad_read(s, 0);
    if (address == 0x4017) return joypad_read(s, 1);
    return 0;
}

static void register_write(nes *n, uint16_t address, uint8_t value) {
    nes_state *s = &n->s;
    if (address < 0x4000 || address == 0x4014) catch_up(n, n->next_exec);
    n->sprite_line_valid = 0;
    if (address < 0x4000) {
        switch (address & 7) {
        case 0:
            s->nmi_enabled = (value & 0x80) != 0;
            s->tall_sprites = (value & 0x20) != 0;
            s->bg_page = (value & 0x10) != 0;
            s->sprite_page = (value & 0x08) != 0;
            s->increment = (value & 0x04) ? 32 : 1;
            s->t = (s->t & ~0x0C00) | ((value & 3) << 10);
            break;
        case 1:
            s->clip_bg = !(value & 0x02);
            s->clip_sprites = !(value & 0x04);
            s->show_bg = (value & 0x08) != 0;
            s->show_sprites = (value & 0x10) != 0;
            break;
        case 3: s->oam_addr = value; break;
        case 4: s->oam[s->oam_addr++] = value; break;
        case 5:
            if (s->first_write) {
                s->t = (s->t & ~0x001F) | ((value >> 3) & 0x1F);
                s->fine_x = value & 7;
            } else {
                s->t = (s->t & ~0x73E0) | ((value & 7) << 12) | ((value & 0xF8) << 2);
            }
            s->first_write = !s->first_write;
            break;
        case 6:
            if (s->first_write) {
                s->t = (s->t & 0x00FF) | ((value & 0x3F) << 8);
            } else {
                s->t = (s->t & 0xFF00) | value;
                s->v = s->t;
            }
            s->first_write = !s->first_write;
            break;
        case 7:
            ppu_write(n, s->v, value);
            s->v += s->increment;
            break;
        }
        schedule_nmi(n); /* NMI enable and rendering (the pre-render line's length) may have changed */
        return;
    }
    if (address == 0x4014) { /* OAM DMA: 513 cycles, one more on an odd cycle */
        n->next_exec += 513 + (s->cycles & 1);
        uint16_t page = (uint16_t)(value << 8);
        const uint8_t *source = page < 0x2000 ? &s->ram[page & 0x7FF]
                                : (page >= 0x6000 && page < 0x8000) ? &s->prg_ram[page & 0x1FFF] : NULL;
        if (source) {
            memcpy(s->oam + s->oam_addr, source, 256 - s->oam_addr);
            memcpy(s->oam, source + (256 - s->oam_addr), s->oam_addr);
        }
    } else if (address == 0x4016) {
        s->strobe = value & 1;
        if (!s->strobe) {
            s->shift[0] = s->buttons[0];
            s->shift[1] = s->buttons[1];
        }
    }
}

static inline uint8_t bus_read(nes *n, uint16_t address) {
    if (address < 0x2000) return n->s.ram[address & 0x7FF];
    if (address >= 0x8000) return n->prg[address & n->prg_mask];
    if (address < 0x4020) return register_read(n, address);
    if (address >= 0x6000) return n->s.prg_ram[address & 0x1FFF];
    return 0;
}

static inline void bus_write(nes *n, uint16_t address, uint8_t value) {
    if (address < 0x2000)
        n->s.ram[address & 0x7FF] = value;
    else if (address < 0x4020)
        register_write(n, address, value);
    else if (address >= 0x6000 && address < 0x8000)
        n->s.prg_ram[address & 0x1FFF] = value;
}

/* --- CPU instructions --------------------------------------------------------------------------------- */
/* Base cycle counts of the official opcodes (0: not an official opcode). */
static const uint8_t CYCLES[256] = {
    7, 6, 0, 0, 0, 3, 5, 0, 3, 2, 2, 0, 0, 4, 6, 0, 2, 5, 0, 0, 0, 4, 6, 0, 2, 4, 0, 0, 0, 4, 7, 0,
    6, 6, 0, 0, 3, 3, 5, 0, 4, 2, 2, 0, 4, 4, 6, 0, 2, 5, 0, 0, 0, 4, 6, 0, 2, 4, 0, 0, 0, 4, 7, 0,
    6, 6, 0, 0, 0, 3, 5, 0, 3, 2, 2, 0, 3, 4, 6, 0, 2, 5, 0, 0, 0, 4, 6, 0, 2, 4, 0, 0, 0, 4, 7, 0,
    6, 6, 0, 0, 0, 3, 5, 0, 4, 2, 2, 0, 5, 4, 6, 0, 2, 5, 0, 0, 0, 4, 6, 0, 2, 4, 0, 0, 0, 4, 7, 0,
    0, 6, 0, 0, 3, 3, 3, 0, 2, 0, 2, 0, 4, 4, 4, 0, 2, 6, 0, 0, 4, 4, 4, 0, 2, 5, 2, 0, 0, 5, 0, 0,
    2, 6, 2, 0, 3, 3, 3, 0, 2, 2, 2, 0, 4, 4, 4, 0, 2, 5, 0, 0, 4, 4, 4, 0, 2, 4, 2, 0, 4, 4, 4, 0,
    2, 6, 0, 0, 3, 3, 5, 0, 2, 2, 2, 0, 4, 4, 6, 0, 2, 5, 0, 0, 0, 4, 6, 0, 2, 4, 0, 0, 0, 4, 7, 0,
    2, 6, 0, 0, 3, 3, 5, 0, 2, 2, 2, 0, 4, 4, 6, 0, 2, 5, 0, 0, 0, 4, 6, 0, 2, 4, 0, 0, 0, 4, 7, 0,
};

#define SET_ZN(value) (s->p = (s->p & ~(FLAG_Z | FLAG_N)) | ((value) ? 0 : FLAG_Z) | ((value) & FLAG_N))

static inline uint16_t read16(nes *n, uint16_t address) {
    return bus_read(n, address) | (bus_read(n, (uint16_t)(address + 1)) << 8);
}

/* Operand fetches: code runs from PRG ROM almost always. */
static inline uint8_t fetch(nes *n) {
    uint16_t pc = n->s.pc++;
    return pc >= 0x8000 ? n->prg[pc & n->prg_mask] : bus_read(n, pc);
}

static inline uint16_t fetch16(nes *n) {
    uint8_t low = fetch(n);
    return (uint16_t)(low | (fetch(n) << 8));
}

/* base + index; *extra gains a cycle when the sum crosses a page (the indexed reads nes-py charges). */
static inline uint16_t indexed(uint16_t base, uint8_t index, int *extra) {
    uint16_t address = (uint16_t)(base + index);
    *extra += (base ^ address) > 0xFF;
    return address;
}

static inline uint16_t zp_pointer(nes *n, uint8_t z) {
    return (uint16_t)(n->s.ram[z] | (n->s.ram[(uint8_t)(z + 1)] << 8));
}

static inline void adc(nes_state *s, uint8_t operand) {
    unsigned sum = s->a + operand + (s->p & FLAG_C);
    s->p &= ~(FLAG_C | FLAG_V);
    if (sum & 0x100) s->p |= FLAG_C;
    if ((s->a ^ sum) & (operand ^ sum) & 0x80) s->p |= FLAG_V;
    s->a = (uint8_t)sum;
    SET_ZN(s->a);
}

static inline void compare(nes_state *s, uint8_t reg, uint8_t operand) {
    unsigned diff = (unsigned)(reg - operand);
    s->p = (diff & 0x100) ? (s->p & ~FLAG_C) : (s->p | FLAG_C);
    SET_ZN((uint8_t)diff);
}

static inline uint8_t shift(nes_state *s, uint8_t value, int left, int rotate) {
    uint8_t carry_in = s->p & FLAG_C;
    s->p &= ~FLAG_C;
    if (left) {
        s->p |= value >> 7;
        value = (uint8_t)((value << 1) | (rotate ? carry_in : 0));
    } else {
        s->p |= value & 1;
        value = (uint8_t)((value >> 1) | (rotate && carry_in ? 0x80 : 0));
    }
    SET_ZN(value);
    return value;
}

static inline void branch(nes *n, int taken, int *extra) {
    nes_state *s = &n->s;
    int8_t offset = (int8_t)fetch(n);
    if (!taken) return;
    uint16_t target = (uint16_t)(s->pc + offset);
    *extra += 1 + (((s->pc ^ target) & 0xFF00) ? 2 : 0); /* taken: +1; to another page: +2 more (nes-py) */
    s->pc = target;
}

/* The operand addresses of the addressing modes (X_R: an indexed read, charged a page crossing). */
#define ZP (fetch(n))
#define ZPX ((uint8_t)(fetch(n) + s->x))
#define ZPY ((uint8_t)(fetch(n) + s->y))
#define ABS (fetch16(n))
#define ABX_R (indexed(fetch16(n), s->x, &extra))
#define ABY_R (indexed(fetch16(n), s->y, &extra))
#define ABX_W ((uint16_t)(fetch16(n) + s->x))
#define ABY_W ((uint16_t)(fetch16(n) + s->y))
#define IZX (zp_pointer(n, (uint8_t)(fetch(n) + s->x)))
#define IZY_R (indexed(zp_pointer(n, fetch(n)), s->y, &extra))
#define IZY_W ((uint16_t)(zp_pointer(n, fetch(n)) + s->y))
#define RD(mode) bus_read(n, mode)
#define ZRD(mode) (s->ram[mode]) /* zero page: always RAM */

/* One group of cases: an operation over its addressing modes. */
#define READ_OP(imm, zp, zpx, abs, abx, aby, izx, izy, body)   \
    case imm: { uint8_t m = fetch(n); body; break; }           \
    case zp: { uint8_t m = ZRD(ZP); body; break; }             \
    case zpx: { uint8_t m = ZRD(ZPX); body; break; }           \
    case abs: { uint8_t m = RD(ABS); body; break; }            \
    case abx: { uint8_t m = RD(ABX_R); body; break; }          \
    case aby: { uint8_t m = RD(ABY_R); body; break; }          \
    case izx: { uint8_t m = RD(IZX); body; break; }            \
    case izy: { uint8_t m = RD(IZY_R); body; break; }
#define RMW_OP(zp, zpx, abs, abx, expr)                                                               \
    case zp: { uint16_t a = ZP; uint8_t m = s->ram[a]; m = expr; s->ram[a] = m; break; }            \
    case zpx: { uint16_t a = ZPX; uint8_t m = s->ram[a]; m = expr; s->ram[a] = m; break; }          \
    case abs: { uint16_t a = ABS; uint8_t m = bus_read(n, a); m = expr; bus_write(n, a, m); break; } \
    case abx: { uint16_t a = ABX_R; uint8_t m = bus_read(n, a); m = expr; bus_write(n, a, m); break; }

/* Run the instruction whose opcode was just fetched; returns the cycles it takes beyond its base count. */
static int execute(nes *n, uint8_t op) {
    nes_state *s = &n->s;
    int extra = 0;
    switch (op) {
    READ_OP(0xA9, 0xA5, 0xB5, 0xAD, 0xBD, 0xB9, 0xA1, 0xB1, s->a = m; SET_ZN(m))
    READ_OP(0x09, 0x05, 0x15, 0x0D, 0x1D, 0x19, 0x01, 0x11, s->a |= m; SET_ZN(s->a))
    READ_OP(0x29, 0x25, 0x35, 0x2D, 0x3D, 0x39, 0x21, 0x31, s->a &= m; SET_ZN(s->a))
    READ_OP(0x49, 0x45, 0x55, 0x4D, 0x5D, 0x59, 0x41, 0x51, s->a ^= m; SET_ZN(s->a))
    READ_OP(0x69, 0x65, 0x75, 0x6D, 0x7D, 0x79, 0x61, 0x71, adc(s, m))
    READ_OP(0xE9, 0xE5, 0xF5, 0xED, 0xFD, 0xF9, 0xE1, 0xF1, adc(s, (uint8_t)~m)) /* SBC adds the complement */
    READ_OP(0xC9, 0xC5, 0xD5, 0xCD, 0xDD, 0xD9, 0xC1, 0xD1, compare(s, s->a, m))
    /* LDX, LDY, CPX, CPY, BIT */
    case 0xA2: s->x = fetch(n); SET_ZN(s->x); break;
    case 0xA6: s->x = ZRD(ZP); SET_ZN(s->x); break;
    case 0xB6: s->x = ZRD(ZPY); SET_ZN(s->x); break;
    case 0xAE: s->x = RD(ABS); SET_ZN(s->x); break;
    case 0xBE: s->x = RD(ABY_R); SET_ZN(s->x); break;
    case 0xA0: s->y = fetch(n); SET_ZN(s->y); break;
    case 0xA4: s->y = ZRD(ZP); SET_ZN(s->y); break;
    case 0xB4: s->y = ZRD(ZPX); SET_ZN(s->y); break;
    case 0xAC: s->y = RD(ABS); SET_ZN(s->y); break;
    case 0xBC: s->y = RD(ABX_R); SET_ZN(s->y); break;
    case 0xE0: compare(s, s->x, fetch(n)); break;
    case 0xE4: compare(s, s->x, ZRD(ZP)); break;
    case 0xEC: compare(s, s->x, RD(ABS)); break;
    case 0xC0: compare(s, s->y, fetch(n)); break;
    case 0xC4: compare(s, s->y, ZRD(ZP)); break;
    case 0xCC: compare(s, s->y, RD(ABS)); break;
    case 0x24: case 0x2C: {
        uint8_t m = op == 0x24 ? ZRD(ZP) : RD(ABS);
        s->p = (s->p & ~(FLAG_Z | FLAG_N | FLAG_V)) | (m & (FLAG_V | FLAG_N)) | ((s->a & m) ? 0 : FLAG_Z);
        break;
    }
    /* stores */
    case 0x85: s->ram[ZP] = s->a; break;
    case 0x95: s->ram[ZPX] = s->a; break;
    case 0x8D: bus_write(n, ABS, s->a); break;
    case 0x9D: bus_write(n, ABX_W, s->a); break;
    case 0x99: bus_write(n, ABY_W, s->a); break;
    case 0x81: bus_write(n, IZX, s->a); break;
    case 0x91: bus_write(n, IZY_W, s->a); break;
    case 0x86: s->ram[ZP] = s->x; break;
    case 0x96: s->ram[ZPY] = s->x; break;
    case 0x8E: bus_write(n, ABS, s->x); break;
    case 0x84: s->ram[ZP] = s->y; break;
    case 0x94: s->ram[ZPX] = s->y; break;
    case 0x8C: bus_write(n, ABS, s->y); break;
    /* read-modify-write */
    RMW_OP(0x06, 0x16, 0x0E, 0x1E, shift(s, m, 1, 0))
    RMW_OP(0x26, 0x36, 0x2E, 0x3E, shift(s, m, 1, 1))
    RMW_OP(0x46, 0x56, 0x4E, 0x5E, shift(s, m, 0, 0))
    RMW_OP(0x66, 0x76, 0x6E, 0x7E, shift(s, m, 0, 1))
    RMW_OP(0xE6, 0xF6, 0xEE, 0xFE, (uint8_t)(m + 1); SET_ZN(m))
    RMW_OP(0xC6, 0xD6, 0xCE, 0xDE, (uint8_t)(m - 1); SET_ZN(m))
    case 0x0A: s->a = shift(s, s->a, 1, 0); break;
    case 0x2A: s->a = shift(s, s->a, 1, 1); break;
    case 0x4A: s->a = shift(s, s->a, 0, 0); break;
    case 0x6A: s->a = shift(s, s->a, 0, 1); break;
    /* registers */
    case 0xE8: s->x++; SET_ZN(s->x); break;
    case 0xCA: s->x--; SET_ZN(s->x); break;
    case 0xC8: s->y++; SET_ZN(s->y); break;
    case 0x88: s->y--; SET_ZN(s->y); break;
    case 0xAA: s->x = s->a; SET_ZN(s->x); break;
    case 0x8A: s->a = s->x; SET_ZN(s->a); break;
    case 0xA8: s->y = s->a; SET_ZN(s->y); break;
    case 0x98: s->a = s->y; SET_ZN(s->a); break;
    case 0xBA: s->x = s->sp; SET_ZN(s->x); break;
    case 0x9A: s->sp = s->x; break;
    /* flags */
    case 0x18: s->p &= ~FLAG_C; break;
    case 0x38: s->p |= FLAG_C; break;
    case 0x58: s->p &= ~FLAG_I; break;
    case 0x78: s->p |= FLAG_I; break;
    case 0xB8: s->p &= ~FLAG_V; break;
    case 0xD8: s->p &= ~FLAG_D; break;
    case 0xF8: s->p |= FLAG_D; break;
    case 0xEA: break;
    /* stack */
    case 0x48: push(n, s->a); break;
    case 0x08: push(n, s->p | FLAG_U | FLAG_B); break;
    case 0x68: s->a = pull(n); SET_ZN(s->a); break;
    case 0x28: s->p = pull(n) | FLAG_U; break;
    /* jumps */
    case 0x4C: s->pc = fetch16(n); break;
    case 0x6C: { /* the indirect vector's high byte comes from the same page */
        uint16_t vector = fetch16(n);
        s->pc = bus_read(n, vector) | (bus_read(n, (vector & 0xFF00) | ((vector + 1) & 0xFF)) << 8);
        break;
    }
    case 0x20: {
        push(n, (uint8_t)((s->pc + 1) >> 8));
        push(n, (uint8_t)(s->pc + 1));
        s->pc = fetch16(n);
        break;
    }
    case 0x60: s->pc = pull(n); s->pc |= pull(n) << 8; s->pc++; break;
    case 0x40: s->p = pull(n) | FLAG_U; s->pc = pull(n); s->pc |= pull(n) << 8; break;
    case 0x00: s->pc++; interrupt(n, 0xFFFE, 1); break;
    /* branches */
    case 0x10: branch(n, !(s->p & FLAG_N), &extra); break;
    case 0x30: branch(n, (s->p & FLAG_N) != 0, &extra); break;
    case 0x50: branch(n, !(s->p & FLAG_V), &extra); break;
    case 0x70: branch(n, (s->p & FLAG_V) != 0, &extra); break;
    case 0x90: branch(n, !(s->p & FLAG_C), &extra); break;
    case 0xB0: branch(n, (s->p & FLAG_C) != 0, &extra); break;
    case 0xD0: branch(n, !(s->p & FLAG_Z), &extra); break;
    case 0xF0: branch(n, (s->p & FLAG_Z) != 0, &extra); break;
    default: break; /* unofficial opcode: no operation, no cycles beyond the fetch */
    }
    return extra;
}

/* --- frames ------------------------------------------------------------------------------------------- */
/* --- sprite 0 polling ---------------------------------------------------------------------------------
 * SMB waits for sprite 0 hit (and for its end) in a loop: LDA $2002 / AND #$40 / BEQ (or BNE) back. Such a
 * loop only reads the status register, so its outcome is known once the dot where the sprite 0 flag
 * changes is known: the PPU is run ahead (undrawn, on its own state, never past the next vertical blank)
 * to find that dot, then put back, and the CPU goes straight to the iteration whose read sees the change.
 * The skipped reads' only effects, clearing the vblank flag (not set again before the limit) and the
 * write toggle, are applied. */
typedef struct {
    uint8_t phase, even_frame, vblank, sprite0_hit, line_sprite_count, line_sprites[8];
    int16_t dot, line;
    uint16_t v;
    long ppu_dots;
    int draw;
} ppu_position;

static void save_position(const nes *n, ppu_position *p) {
    const nes_state *s = &n->s;
    p->phase = s->phase;
    p->even_frame = s->even_frame;
    p->vblank = s->vblank;
    p->sprite0_hit = s->sprite0_hit;
    p->line_sprite_count = s->line_sprite_count;
    memcpy(p->line_sprites, s->line_sprites, sizeof p->line_sprites);
    p->dot = s->dot;
    p->line = s->line;
    p->v = s->v;
    p->ppu_dots = n->ppu_dots;
    p->draw = n->draw;
}

static void restore_position(nes *n, const ppu_position *p) {
    nes_state *s = &n->s;
    s->phase = p->phase;
    s->even_frame = p->even_frame;
    s->vblank = p->vblank;
    s->sprite0_hit = p->sprite0_hit;
    s->line_sprite_count = p->line_sprite_count;
    memcpy(s->line_sprites, p->line_sprites, sizeof p->line_sprites);
    s->dot = p->dot;
    s->line = p->line;
    s->v = p->v;
    n->ppu_dots = p->ppu_dots;
    n->draw = p->draw;
    n->sprite_line_valid = 0;
}

/* The frame dot at which the sprite 0 flag next changes, looking no further than dot `limit` (0: none). */
static long find_sprite0_change(nes *n, long limit) {
    ppu_position saved;
    save_position(n, &saved);
    n->draw = 0;
    n->watching = 1;
    n->change_dot = 0;
    while (n->ppu_dots < limit && !n->change_dot) {
        long chunk = limit - n->ppu_dots < LINE_END ? limit - n->ppu_dots : LINE_END;
        ppu_run(n, (int)chunk);
        n->ppu_dots += chunk;
    }
    n->watching = 0;
    restore_position(n, &saved);
    return n->change_dot && n->change_dot <= limit ? n->change_dot : 0;
}

/* If the CPU is at the top of a sprite 0 polling loop, move it to the iteration that leaves it. */
static void skip_sprite0_polling(nes *n) {
    nes_state *s = &n->s;
    uint16_t top = s->pc;
    if (read16(n, top + 1) != 0x2002 || bus_read(n, top + 3) != 0x29 || bus_read(n, top + 4) != 0x40) return;
    uint8_t branch = bus_read(n, top + 5);
    if (branch != 0xF0 && branch != 0xD0) return;
    uint16_t after = top + 7, target = (uint16_t)(after + (int8_t)bus_read(n, top + 6));
    if (target != top) return;
    int period = 4 + 2 + 3 + (((after ^ target) & 0xFF00) ? 2 : 0); /* as nes-py counts a taken branch */
    int waiting_for_set = branch == 0xF0, first = n->next_exec;
    catch_up(n, first - 1); /* the PPU at the start of the first read's cycle */
    if ((s->sprite0_hit != 0) == waiting_for_set) return; /* the first read already leaves the loop */
    long limit = n->ppu_dots + dots_until_vblank(s) - 1; /* never past the next vertical blank */
    if (limit > 3L * NES_CYCLES_PER_FRAME) limit = 3L * NES_CYCLES_PER_FRAME;
    if (n->nmi_cycle != NO_NMI && limit > 3L * n->nmi_cycle) limit = 3L * n->nmi_cycle;
    long change = find_sprite0_change(n, limit);
    /* Read i happens at cycle first + period * i and sees the dots up to 3 * (its cycle + 1). Skip the
     * reads known to stay in the loop: those before the one that sees the change, or all those the look
     * ahead covered; never across an NMI or the frame's end. */
    long skip;
    if (change) {
        long exit_cycle = (change + 2) / 3 - 1;
        skip = exit_cycle > first ? (exit_cycle - first + period - 1) / period : 0;
    } else {
        long last_known = limit / 3 - 1;
        skip = last_known >= first ? (last_known - first) / period + 1 : 0;
    }
    while (skip > 0 && (first + period * skip >= n->nmi_cycle || first + period * skip >= NES_CYCLES_PER_FRAME))
        skip--;
    if (skip <= 0) return;
    long exit_cycle = first + period * skip;
    s->vblank = 0; /* the skipped reads clear it (nothing sets it before the limit) */
    s->first_write = 1;
    n->next_exec = (int)exit_cycle;
}

static void run_frame(nes *n, uint8_t buttons, int draw);

static int advance_draws(nes *n) {
    int draw = n->draw_always;
    if (n->draw_countdown > 0) draw = --n->draw_countdown == 0;
    return draw;
}

void nes_advance(nes *n, uint8_t buttons) { nes_frame(n, buttons, advance_draws(n)); }

void nes_frame(nes *n, uint8_t buttons, int draw) {
    if (!draw) {
        n->before_last = n->s;
        n->last_start = &n->before_last;
        n->last_buttons = buttons;
    }
    n->trail_frames = 0;
    run_frame(n, buttons, draw);
}

int nes_run_ahead(nes *n, uint8_t buttons, int frames) {
    if (frames > n->trail_capacity) {
        nes_state *trail = realloc(n->trail, (size_t)frames * sizeof *trail);
        if (!trail) return -1;
        n->trail = trail;
        n->trail_capacity = frames;
    }
    for (int i = 0; i < frames; i++) {
        n->trail[i] = n->s; /* the frame's start: where a rewind or an on-demand drawing begins */
        n->last_start = &n->trail[i];
        n->last_buttons = buttons;
        run_frame(n, buttons, advance_draws(n));
    }
    n->trail_frames = frames;
    n->trail_buttons = buttons;
    return 0;
}

const uint8_t *nes_trail_ram(const nes *n, int frame) {
    return frame + 1 < n->trail_frames ? n->trail[frame + 1].ram : n->s.ram;
}

int nes_rewind(nes *n, int kept) {
    if (kept < 1 || kept > n->trail_frames) return -1;
    if (kept < n->trail_frames) {
        n->s = n->trail[kept];
        n->last_start = &n->trail[kept - 1];
        n->last_buttons = n->trail_buttons;
        n->last_drawn = 0; /* the screen holds a later frame: draw this one when it is looked at */
        n->sprite_line_valid = 0;
        n->trail_frames = kept;
    }
    return 0;
}

/* One frame from the current state (the caller keeps its start if it may be drawn later). */
static void run_frame(nes *n, uint8_t buttons, int draw) {
    nes_state *s = &n->s;
    n->last_drawn = draw;
    s->buttons[0] = buttons;
    n->draw = draw;
    /* nes-py's skip counter becomes the frame cycle of the next instruction; the PPU runs lazily, catching
     * up when the CPU touches it, when it raises an NMI, and at the frame's end. */
    const int end = NES_CYCLES_PER_FRAME;
    uint32_t first_cycle = s->cycles;
    n->next_exec = s->skip > 1 ? s->skip - 1 : 0;
    n->ppu_dots = 0;
    n->polled_to = -1;
    schedule_nmi(n);
    for (;;) {
        if (n->nmi_cycle <= n->next_exec && n->nmi_cycle < end) {
            catch_up(n, n->nmi_cycle - 1);
            long dots = dots_until_nmi(s);
            ppu_run(n, (int)dots); /* up to and including the NMI dot, which pushes and adds 7 cycles */
            n->ppu_dots += dots;
            schedule_nmi(n);
            continue;
        }
        int cycle = n->next_exec;
        if (cycle >= end) break;
        if (s->pc >= 0x8000 && n->prg[s->pc & n->prg_mask] == 0xAD && cycle != n->polled_to) {
            skip_sprite0_polling(n);
            if (n->next_exec != cycle) { /* moved ahead: run that read as it is (the NMI check first) */
                n->polled_to = n->next_exec;
                continue;
            }
        }
        s->cycles = first_cycle + (uint32_t)cycle + 1;
        uint16_t at = s->pc;
        uint8_t op = fetch(n);
        int extra = execute(n, op);
        n->next_exec += CYCLES[op] + extra;
        if (op == 0x4C && s->pc == at) {
            /* JMP to itself: the CPU turns in place (3 cycles a turn, touching nothing) until an NMI. Its
             * next turn after the NMI's cycle (or the frame's end) is where it next does anything. */
            int until = n->nmi_cycle < end ? n->nmi_cycle : end;
            if (until > cycle) n->next_exec = cycle + 3 * ((until - cycle + 2) / 3);
        }
    }
    catch_up(n, end - 1);
    s->cycles = first_cycle + end;
    s->skip = n->next_exec - (end - 1);
}

void nes_reset(nes *n) {
    nes_state *s = &n->s;
    s->skip = 0;
    n->next_exec = 0;
    s->cycles = 0;
    s->a = s->x = s->y = 0;
    s->p = 0x34;
    s->sp = 0xFD;
    s->pc = read16(n, 0xFFFC);
    /* PPU */
    s->tall_sprites = s->nmi_enabled = s->vblank = s->sprite0_hit = 0;
    s->show_bg = s->show_sprites = 1;
    s->clip_bg = s->clip_sprites = 0;
    s->even_frame = 1;
    s->first_write = 1;
    s->bg_page = s->sprite_page = 0;
    s->v = s->t = 0;
    s->dot = s->line = 0;
    s->oam_addr = 0;
    s->fine_x = 0;
    s->read_buffer = 0;
    s->increment = 1;
    s->phase = PHASE_PRE;
    s->line_sprite_count = 0;
    memset(s->oam, 0, sizeof s->oam);
    memset(s->line_sprites, 0, sizeof s->line_sprites);
    memset(n->screen, 0, sizeof n->screen);
    n->sprite_line_valid = 0;
    n->last_drawn = 1;
    n->trail_frames = 0;
}

nes *nes_create(const uint8_t *image, size_t size, const char **error) {
    if (size < 16 || memcmp(image, "NES\x1A", 4) != 0) {
        *error = "not an iNES ROM image (no NES<EOF> header)";
        return NULL;
    }
    int mapper = (image[6] >> 4) | (image[7] & 0xF0);
    if (mapper != 0) {
        *error = "only mapper 0 (NROM) cartridges are supported";
        return NULL;
    }
    size_t prg_size = (size_t)image[4] * 0x4000, chr_size = (size_t)image[5] * 0x2000;
    size_t offset = 16 + ((image[6] & 0x04) ? 512 : 0);
    if ((prg_size != 0x4000 && prg_size != 0x8000) || chr_size > 0x2000 || size < offset + prg_size + chr_size) {
        *error = "the NROM image has the wrong PRG/CHR sizes or is truncated";
        return NULL;
    }
    if (!SPREAD[1]) init_spread();
    nes *n = calloc(1, sizeof *n);
    if (!n) {
        *error = "out of memory";
        return NULL;
    }
    n->rom = malloc(prg_size + 0x2000);
    if (!n->rom) {
        free(n);
        *error = "out of memory";
        return NULL;
    }
    memcpy(n->rom, image + offset, prg_size);
    n->prg = n->rom;
    n->prg_mask = (uint16_t)(prg_size - 1);
    if (chr_size) {
        memcpy(n->rom + prg_size, image + offset + prg_size, chr_size);
        n->chr = n->rom + prg_size;
    } else {
        n->chr = n->s.chr_ram;
        n->chr_is_ram = 1;
    }
    if (image[6] & 0x01) { /* vertical mirroring: nametables 0/2 and 1/3 share */
        n->nametable[0] = n->nametable[2] = 0;
        n->nametable[1] = n->nametable[3] = 0x400;
    } else {
        n->nametable[0] = n->nametable[1] = 0;
        n->nametable[2] = n->nametable[3] = 0x400;
    }
    n->draw_always = 1;
    n->s.magic = NES_STATE_MAGIC;
    n->s.size = sizeof(nes_state);
    nes_reset(n);
    return n;
}

void nes_finish_drawing(nes *n) {
    if (n->last_drawn) return;
    n->scratch = n->s;
    n->s = *n->last_start;
    n->sprite_line_valid = 0;
    run_frame(n, n->last_buttons, 1);
    n->s = n->scratch;
    n->sprite_line_valid = 0;
}

void nes_load_state(nes *n, const nes_state *state) {
    n->s = *state;
    n->sprite_line_valid = 0;
    n->last_drawn = 1;
    n->trail_frames = 0;
}

void nes_destroy(nes *n) {
    if (!n) return;
    free(n->rom);
    free(n->trail);
    free(n);
}
