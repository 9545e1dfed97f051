/* A small NES core: the 2A03's 6502 CPU (official opcodes), the 2C02 PPU, OAM DMA, one joypad port and
 * mapper 0 (NROM). Written for Super Mario Bros and the Lost Levels NROM conversion.
 *
 * Timing follows the model of nes-py 9, the emulator our environments are checked against: each CPU cycle
 * runs three PPU dots and then the CPU, an instruction does all its bus accesses on its first cycle and then
 * waits out its cycle count, an NMI is taken at the PPU dot that raises it, and a frame is a fixed 29781 CPU
 * cycles. The same ROM, start and joypad input therefore give the same RAM after every frame.
 */
#ifndef NES_CORE_H
#define NES_CORE_H

#include <stddef.h>
#include <stdint.h>

#define NES_RAM_SIZE 0x800
#define NES_WIDTH 256
#define NES_HEIGHT 240
#define NES_CYCLES_PER_FRAME 29781
#define NES_STATE_MAGIC 0x31534E47u /* "GNS1" little-endian: a gym-mario-latent native state */

enum nes_mirroring { NES_MIRROR_HORIZONTAL = 0, NES_MIRROR_VERTICAL = 1 };

/* Everything a snapshot holds: plain data, copied as bytes. */
typedef struct nes_state {
    uint32_t magic;
    uint32_t size;
    /* CPU */
    uint16_t pc;
    uint8_t a, x, y, sp, p;
    int32_t skip;     /* cycles left in the current instruction (nes-py's skip counter) */
    uint32_t cycles;  /* CPU cycles since reset (its parity decides OAM DMA's length) */
    uint8_t ram[NES_RAM_SIZE];
    uint8_t prg_ram[0x2000];
    /* joypad port 1 and 2 */
    uint8_t buttons[2], shift[2], strobe;
    /* PPU */
    uint8_t phase; /* 0 pre-render line, 1 visible lines, 2 post-render line, 3 vertical blank */
    uint8_t even_frame, vblank, sprite0_hit, nmi_enabled, tall_sprites;
    uint8_t show_bg, show_sprites, clip_bg, clip_sprites;
    uint8_t bg_page, sprite_page, first_write, fine_x, read_buffer, oam_addr;
    uint8_t line_sprite_count;
    uint8_t line_sprites[8];
    int16_t dot, line;
    uint16_t v, t, increment;
    uint8_t oam[256];
    uint8_t vram[0x800];
    uint8_t palette[32];
    uint8_t chr_ram[0x2000];
} nes_state;

typedef struct nes {
    nes_state s;
    const uint8_t *prg; /* 16 or 32 KiB */
    uint16_t prg_mask;
    const uint8_t *chr; /* CHR ROM, or s.chr_ram */
    int chr_is_ram;
    uint16_t nametable[4]; /* vram offset of each of the four nametables */
    int draw;              /* write pixels into screen during this frame */
    int draw_always;       /* nes_advance draws every frame (else only when draw_countdown runs out) */
    int draw_countdown;    /* > 0: nes_advance draws the frame that brings it to 0 */
    int next_exec;         /* frame cycle at which the CPU runs its next instruction */
    int nmi_cycle;         /* frame cycle at which the PPU raises the next NMI */
    long ppu_dots;         /* PPU dots run so far this frame */
    long dot_pos, span_base; /* frame dot index of the dot being run / before the span being run */
    int watching;            /* record in change_dot the first dot where the sprite 0 flag changes */
    long change_dot;
    int polled_to; /* the frame cycle a polling loop was skipped to (not analysed again) */
    int sprite_line_valid; /* sprite_line holds the current line's sprite pixels */
    int sprite_line_any;   /* and some of them are not transparent */
    uint8_t sprite_line[NES_WIDTH];
    uint32_t screen[NES_HEIGHT * NES_WIDTH];
    uint8_t *rom; /* owned copy of the file's PRG and CHR data */
    /* An undrawn frame keeps the state it started from, so that its picture can be drawn afterwards. */
    int last_drawn;
    uint8_t last_buttons;
    const nes_state *last_start; /* that state: &before_last, or an entry of trail after nes_run_ahead */
    nes_state before_last, scratch;
    /* nes_run_ahead keeps the state each of its frames started from, for nes_rewind. */
    nes_state *trail;
    int trail_capacity, trail_frames; /* trail_frames: 0 once anything else has run */
    uint8_t trail_buttons;
} nes;

/* Load an iNES image (mapper 0 only). Returns NULL and sets *error on failure. */
nes *nes_create(const uint8_t *image, size_t size, const char **error);
void nes_destroy(nes *n);
/* Power-on/reset: CPU to the reset vector, PPU registers to their start values (RAM is kept). */
void nes_reset(nes *n);
/* Run one frame (29781 CPU cycles) with player 1 holding `buttons`; draw pixels when `draw` is set. */
void nes_frame(nes *n, uint8_t buttons, int draw);
/* Run one frame drawing it or not as draw_always and draw_countdown say. */
void nes_advance(nes *n, uint8_t buttons);
/* Draw the last frame if it ran undrawn: replay it from its start with drawing on, then put the state
 * back as it is now (RAM written since included). Afterwards the screen is the last frame's picture. */
void nes_finish_drawing(nes *n);
/* Run `frames` frames holding `buttons`, drawn as nes_advance draws them, keeping the state each started
 * from so that nes_rewind can go back to the end of any of them. Returns 0, or -1 when out of memory (then
 * nothing ran). Afterwards nes_trail_ram(n, i) is the RAM after frame i (0-based). */
int nes_run_ahead(nes *n, uint8_t buttons, int frames);
const uint8_t *nes_trail_ram(const nes *n, int frame);
/* Go back to the end of frame `kept` (1..frames) of the last nes_run_ahead, as if only `kept` frames had
 * run (a frame past the last drawn one is drawn on demand). Returns -1 if nothing ran since that run or
 * `kept` is out of range. */
int nes_rewind(nes *n, int kept);
/* Replace the machine state (a copy of another core's nes.s, already checked). */
void nes_load_state(nes *n, const nes_state *state);

#endif
