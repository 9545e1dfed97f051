/* CPython binding of the NES core: gym_mario_latent.emulator._nes.Core.
 *
 * Core(rom_bytes) runs one cartridge. Its RAM and screen are exposed as writable buffers (no copy), its
 * state as bytes. run() releases the GIL for the whole call. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <string.h>

#include "nes_core.h"

/* --- a buffer over part of a Core's memory, keeping the Core alive -------------------------------------- */
typedef struct {
    PyObject_HEAD
    PyObject *owner;
    void *data;
    Py_ssize_t size;
    int readonly;
} Region;

static int region_getbuffer(PyObject *self, Py_buffer *view, int flags) {
    Region *r = (Region *)self;
    return PyBuffer_FillInfo(view, self, r->data, r->size, r->readonly, flags);
}

static void region_dealloc(PyObject *self) {
    Py_XDECREF(((Region *)self)->owner);
    Py_TYPE(self)->tp_free(self);
}

static PyBufferProcs region_as_buffer = {region_getbuffer, NULL};

static PyTypeObject RegionType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "gym_mario_latent.emulator._nes.Region",
    .tp_basicsize = sizeof(Region),
    .tp_dealloc = region_dealloc,
    .tp_as_buffer = &region_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A writable window on a Core's memory (RAM or screen).",
};

static PyObject *new_region(PyObject *owner, void *data, Py_ssize_t size, int readonly) {
    Region *r = PyObject_New(Region, &RegionType);
    if (!r) return NULL;
    Py_INCREF(owner);
    r->owner = owner;
    r->data = data;
    r->size = size;
    r->readonly = readonly;
    return (PyObject *)r;
}

/* --- Core ----------------------------------------------------------------------------------------------- */
typedef struct {
    PyObject_HEAD
    nes *n;
} Core;

static int core_init(Core *self, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"rom", NULL};
    Py_buffer rom;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "y*", keywords, &rom)) return -1;
    const char *error = NULL;
    nes *n = nes_create(rom.buf, (size_t)rom.len, &error);
    PyBuffer_Release(&rom);
    if (!n) {
        PyErr_SetString(PyExc_ValueError, error);
        return -1;
    }
    nes_destroy(self->n);
    self->n = n;
    return 0;
}

static void core_dealloc(Core *self) {
    nes_destroy(self->n);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Methods of a Core whose __init__ never ran (Core.__new__ alone) refuse instead of crashing. */
#define REQUIRE_CORE(self)                                                          \
    if (!(self)->n) {                                                               \
        PyErr_SetString(PyExc_RuntimeError, "this Core has no cartridge (__init__ did not run)"); \
        return NULL;                                                                \
    }

static PyObject *core_reset(Core *self, PyObject *unused) {
    REQUIRE_CORE(self)
    nes_reset(self->n);
    Py_RETURN_NONE;
}

static int parse_buttons(PyObject *action, uint8_t *buttons) {
    long value = PyLong_AsLong(action);
    if (value == -1 && PyErr_Occurred()) return -1;
    if (value < 0 || value > 255) {
        PyErr_Format(PyExc_ValueError, "a joypad action is a bitmap 0..255, got %ld", value);
        return -1;
    }
    *buttons = (uint8_t)value;
    return 0;
}

static PyObject *core_frame_advance(Core *self, PyObject *action) {
    REQUIRE_CORE(self)
    uint8_t buttons;
    if (parse_buttons(action, &buttons)) return NULL;
    Py_BEGIN_ALLOW_THREADS
    nes_advance(self->n, buttons);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *core_set_drawing(Core *self, PyObject *args) {
    REQUIRE_CORE(self)
    int always, countdown;
    if (!PyArg_ParseTuple(args, "pi", &always, &countdown)) return NULL;
    self->n->draw_always = always;
    self->n->draw_countdown = countdown;
    Py_RETURN_NONE;
}

static PyObject *core_frame(Core *self, PyObject *const *args, Py_ssize_t nargs) {
    REQUIRE_CORE(self)
    uint8_t buttons;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "frame(action, draw) takes 2 arguments");
        return NULL;
    }
    if (parse_buttons(args[0], &buttons)) return NULL;
    int draw = PyObject_IsTrue(args[1]);
    if (draw < 0) return NULL;
    Py_BEGIN_ALLOW_THREADS
    nes_frame(self->n, buttons, draw);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *core_finish_drawing(Core *self, PyObject *unused) {
    REQUIRE_CORE(self)
    Py_BEGIN_ALLOW_THREADS
    nes_finish_drawing(self->n);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

/* Write the screen into a caller's C-contiguous byte buffer: RGB (3 bytes a pixel) or luma (1 byte). */
static PyObject *copy_screen(Core *self, PyObject *output, int channels) {
    REQUIRE_CORE(self)
    Py_buffer view;
    if (PyObject_GetBuffer(output, &view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS)) return NULL;
    if (view.len != (Py_ssize_t)NES_WIDTH * NES_HEIGHT * channels) {
        PyErr_Format(PyExc_ValueError, "the output buffer must hold %d bytes, it holds %zd",
                     NES_WIDTH * NES_HEIGHT * channels, view.len);
        PyBuffer_Release(&view);
        return NULL;
    }
    uint8_t *out = view.buf;
    nes *n = self->n;
    Py_BEGIN_ALLOW_THREADS
    nes_finish_drawing(n);
    for (int i = 0; i < NES_WIDTH * NES_HEIGHT; i++) {
        uint32_t pixel = n->screen[i];
        uint32_t r = (pixel >> 16) & 0xFF, g = (pixel >> 8) & 0xFF, b = pixel & 0xFF;
        if (channels == 3) {
            out[3 * i] = (uint8_t)r;
            out[3 * i + 1] = (uint8_t)g;
            out[3 * i + 2] = (uint8_t)b;
        } else {
            out[i] = (uint8_t)((77 * r + 150 * g + 29 * b) >> 8); /* nes-py's luma weights */
        }
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
}

/* --- the screen shrunk and in grayscale, as OpenCV's INTER_AREA resize then Gymnasium's grayscale make it ---
 * The area resize averages the source pixels a destination pixel covers, weighted by how much of each it
 * covers. The arithmetic is single precision in a fixed order (per source row, the horizontal sums in
 * source order; then per destination row, the weighted rows in source order; rounded half to even), and the
 * luma is double precision ((0.2125 r + 0.7154 g) + 0.0721 b, truncated): the same bits as
 * cv2.resize(rgb, (w, h), interpolation=cv2.INTER_AREA) then gymnasium's GrayscaleObservation. */
typedef struct {
    int to, from;
    float weight;
} area_term;

/* The terms of the destination pixels 0..dsize-1 along one axis (at most ssize + dsize of them). */
static int area_terms(int ssize, int dsize, area_term *terms) {
    double scale = (double)ssize / dsize;
    int count = 0;
    for (int d = 0; d < dsize; d++) {
        double start = d * scale, end = start + scale;
        double width = scale < ssize - start ? scale : ssize - start;
        int first = (int)ceil(start), last = (int)floor(end);
        if (last > ssize - 1) last = ssize - 1;
        if (first > last) first = last;
        if (first - start > 1e-3) terms[count++] = (area_term){d, first - 1, (float)((first - start) / width)};
        for (int s = first; s < last; s++) terms[count++] = (area_term){d, s, (float)(1.0 / width)};
        if (end - last > 1e-3) {
            double part = end - last < 1.0 ? end - last : 1.0;
            if (part > width) part = width;
            terms[count++] = (area_term){d, last, (float)(part / width)};
        }
    }
    return count;
}

/* A channel sum (0 <= value < 2^23, weights summing to 1) rounded half to even, clamped at 255: adding and
 * taking away 2^23 leaves a float no fraction bits, and IEEE rounding is to nearest, ties to even. */
static inline float round_even(float value) {
    float rounded = (value + 8388608.0f) - 8388608.0f;
    return rounded > 255.0f ? 255.0f : rounded;
}

#define MOST_TERMS 9    /* terms of one destination column: at most ceil(scale) + 1 */
#define FEWEST_COLUMNS 32 /* so scale <= 8 */

/* The screen (0x00RRGGBB words) shrunk to height x width, in grayscale. `rows` holds 8 * width floats.
 * Pixels are kept as 4 floats (red, green, blue, unused) so that the compiler can do a pixel's channels in
 * one vector operation: each channel's arithmetic is still the scalar one. */
static void shrink_gray(const uint32_t *screen, int height, int width, uint8_t *out, float (*rows)[4]) {
    area_term xs[2 * NES_WIDTH], ys[2 * NES_HEIGHT];
    int nx = area_terms(NES_WIDTH, width, xs), ny = area_terms(NES_HEIGHT, height, ys);
    /* Each destination column's terms, in source order. */
    int from[NES_WIDTH][MOST_TERMS], terms[NES_WIDTH] = {0};
    float weight[NES_WIDTH][MOST_TERMS];
    for (int k = 0; k < nx; k++) {
        int x = xs[k].to, t = terms[x]++;
        from[x][t] = xs[k].from;
        weight[x][t] = xs[k].weight;
    }
    float source[NES_WIDTH][4]; /* a screen row, the bytes of each 0x00RRGGBB word as floats */
    const uint32_t shifts = 0x03020100u; /* each byte as stored says which byte of the word it is */
    int at[4];
    for (int i = 0; i < 4; i++) at[((const uint8_t *)&shifts)[i]] = i;
    const int red = at[2], green = at[1], blue = at[0]; /* where 0x00RRGGBB keeps each channel */
    float(*row)[4] = rows, (*sum)[4] = rows + width;
    const uint32_t *last_pixels = NULL;
    int current = -1;
    for (int j = 0; j <= ny; j++) {
        if ((j == ny || ys[j].to != current) && current >= 0) { /* the destination row is complete */
            for (int x = 0; x < width; x++) {
                double r = round_even(sum[x][red]), g = round_even(sum[x][green]), b = round_even(sum[x][blue]);
                out[current * width + x] = (uint8_t)(r * 0.2125 + g * 0.7154 + b * 0.0721);
            }
        }
        if (j == ny) break;
        const uint32_t *pixels = screen + ys[j].from * NES_WIDTH;
        /* A row like the last one (the sky, a boundary row shared by two output rows) has its sums already. */
        if (!last_pixels || memcmp(pixels, last_pixels, NES_WIDTH * sizeof *pixels) != 0) {
            const uint8_t *bytes = (const uint8_t *)pixels;
            for (int x = 0; x < NES_WIDTH; x++)
                for (int c = 0; c < 4; c++) source[x][c] = (float)bytes[4 * x + c];
            for (int x = 0; x < width; x++) {
                float total[4] = {0.0f, 0.0f, 0.0f, 0.0f};
                for (int t = 0; t < terms[x]; t++) {
                    const float *pixel = source[from[x][t]];
                    float w = weight[x][t];
                    for (int c = 0; c < 4; c++) total[c] += pixel[c] * w;
                }
                for (int c = 0; c < 4; c++) row[x][c] = total[c];
            }
            last_pixels = pixels;
        }
        float beta = ys[j].weight;
        if (ys[j].to != current) {
            current = ys[j].to;
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 4; c++) sum[x][c] = beta * row[x][c];
        } else {
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 4; c++) sum[x][c] += beta * row[x][c];
        }
    }
}

/* copy_small_gray(output): the screen shrunk to output's (height, width), in grayscale, into output. */
static PyObject *core_copy_small_gray(Core *self, PyObject *output) {
    REQUIRE_CORE(self)
    Py_buffer view;
    if (PyObject_GetBuffer(output, &view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS | PyBUF_ND)) return NULL;
    if (view.ndim != 2 || view.itemsize != 1 || view.shape[0] < 1 || view.shape[0] > NES_HEIGHT ||
        view.shape[1] < FEWEST_COLUMNS || view.shape[1] > NES_WIDTH) {
        PyErr_Format(PyExc_ValueError,
                     "the output must be a (height, width) byte array, height 1..%d and width %d..%d",
                     NES_HEIGHT, FEWEST_COLUMNS, NES_WIDTH);
        PyBuffer_Release(&view);
        return NULL;
    }
    int height = (int)view.shape[0], width = (int)view.shape[1];
    float(*rows)[4] = PyMem_RawMalloc(2 * (size_t)width * sizeof *rows);
    if (!rows) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    nes *n = self->n;
    Py_BEGIN_ALLOW_THREADS
    nes_finish_drawing(n);
    shrink_gray(n->screen, height, width, view.buf, rows);
    Py_END_ALLOW_THREADS
    PyMem_RawFree(rows);
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
}

static PyObject *core_copy_rgb(Core *self, PyObject *output) { return copy_screen(self, output, 3); }

static PyObject *core_copy_gray(Core *self, PyObject *output) { return copy_screen(self, output, 1); }

static PyObject *core_run(Core *self, PyObject *args, PyObject *kwargs) {
    REQUIRE_CORE(self)
    static char *keywords[] = {"action", "frames", "draw_last", NULL};
    PyObject *action;
    int frames = 1, draw_last = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|ip", keywords, &action, &frames, &draw_last)) return NULL;
    uint8_t buttons;
    if (parse_buttons(action, &buttons)) return NULL;
    Py_BEGIN_ALLOW_THREADS
    for (int i = 0; i < frames; i++) nes_frame(self->n, buttons, draw_last && i == frames - 1);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

/* run_ahead(action, frames) -> list of bytes: the RAM after each frame. The GIL is released for all of them. */
static PyObject *core_run_ahead(Core *self, PyObject *const *args, Py_ssize_t nargs) {
    REQUIRE_CORE(self)
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "run_ahead(action, frames) takes 2 arguments");
        return NULL;
    }
    uint8_t buttons;
    if (parse_buttons(args[0], &buttons)) return NULL;
    long frames = PyLong_AsLong(args[1]);
    if (frames == -1 && PyErr_Occurred()) return NULL;
    if (frames < 1 || frames > 1 << 16) {
        PyErr_Format(PyExc_ValueError, "run_ahead runs 1..65536 frames, got %ld", frames);
        return NULL;
    }
    PyObject *rams = PyList_New(frames);
    if (!rams) return NULL;
    int failed;
    Py_BEGIN_ALLOW_THREADS
    failed = nes_run_ahead(self->n, buttons, (int)frames);
    Py_END_ALLOW_THREADS
    if (failed) {
        Py_DECREF(rams);
        return PyErr_NoMemory();
    }
    for (long i = 0; i < frames; i++) {
        PyObject *ram = PyBytes_FromStringAndSize((const char *)nes_trail_ram(self->n, (int)i), NES_RAM_SIZE);
        if (!ram) {
            Py_DECREF(rams);
            return NULL;
        }
        PyList_SET_ITEM(rams, i, ram);
    }
    return rams;
}

static PyObject *core_rewind(Core *self, PyObject *kept) {
    REQUIRE_CORE(self)
    long frames = PyLong_AsLong(kept);
    if (frames == -1 && PyErr_Occurred()) return NULL;
    if (frames < 1 || frames > self->n->trail_frames || nes_rewind(self->n, (int)frames)) {
        PyErr_Format(PyExc_ValueError,
                     "rewind(%ld): only the 1..%d frames of the last run_ahead, with nothing run since, can be kept",
                     frames, self->n->trail_frames);
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *core_ram(Core *self, PyObject *unused) {
    REQUIRE_CORE(self)
    return new_region((PyObject *)self, self->n->s.ram, NES_RAM_SIZE, 0);
}

static PyObject *core_screen(Core *self, PyObject *unused) {
    REQUIRE_CORE(self)
    return new_region((PyObject *)self, self->n->screen, sizeof self->n->screen, 0);
}

/* A state is the machine (nes_state) followed by the screen of its last frame, as nes-py's holds both. */
#define STATE_BYTES (sizeof(nes_state) + sizeof(((nes *)0)->screen))

static PyObject *core_dump_state(Core *self, PyObject *unused) {
    REQUIRE_CORE(self)
    nes *n = self->n;
    nes_finish_drawing(n);
    PyObject *state = PyBytes_FromStringAndSize(NULL, STATE_BYTES);
    if (!state) return NULL;
    char *out = PyBytes_AS_STRING(state);
    memcpy(out, &n->s, sizeof(nes_state));
    memcpy(out + sizeof(nes_state), n->screen, sizeof n->screen);
    return state;
}

static PyObject *core_load_state(Core *self, PyObject *state) {
    REQUIRE_CORE(self)
    Py_buffer view;
    if (PyObject_GetBuffer(state, &view, PyBUF_SIMPLE)) return NULL;
    const nes_state *incoming = view.buf;
    if (view.len != (Py_ssize_t)STATE_BYTES || incoming->magic != NES_STATE_MAGIC ||
        incoming->size != sizeof(nes_state)) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "not a state of this emulator core (wrong size or header)");
        return NULL;
    }
    nes_load_state(self->n, incoming);
    memcpy(self->n->screen, (const char *)view.buf + sizeof(nes_state), sizeof self->n->screen);
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
}

static PyMethodDef core_methods[] = {
    {"reset", (PyCFunction)core_reset, METH_NOARGS, "Reset the CPU and PPU (RAM is kept)."},
    {"frame_advance", (PyCFunction)core_frame_advance, METH_O,
     "Run one frame holding the joypad bitmap, drawn as set_drawing says (by default: drawn)."},
    {"set_drawing", (PyCFunction)core_set_drawing, METH_VARARGS,
     "set_drawing(always, countdown): draw every frame, or only the countdown-th next one."},
    {"frame", (PyCFunction)(void (*)(void))core_frame, METH_FASTCALL,
     "frame(action, draw): run one frame; an undrawn one can still be drawn by finish_drawing()."},
    {"finish_drawing", (PyCFunction)core_finish_drawing, METH_NOARGS, "Draw the last frame if it was not."},
    {"copy_rgb", (PyCFunction)core_copy_rgb, METH_O, "Write the screen as RGB bytes into a buffer."},
    {"copy_gray", (PyCFunction)core_copy_gray, METH_O, "Write the screen as luma bytes into a buffer."},
    {"copy_small_gray", (PyCFunction)core_copy_small_gray, METH_O,
     "Write the screen shrunk to the (height, width) buffer (INTER_AREA) and in grayscale, as OpenCV's "
     "resize and Gymnasium's GrayscaleObservation make it."},
    {"run", (PyCFunction)(void (*)(void))core_run, METH_VARARGS | METH_KEYWORDS,
     "run(action, frames=1, draw_last=True): run frames holding action; draw only the last one."},
    {"run_ahead", (PyCFunction)(void (*)(void))core_run_ahead, METH_FASTCALL,
     "run_ahead(action, frames): run frames holding action (drawn as set_drawing says), the GIL released; "
     "returns the RAM after each frame as bytes. rewind(kept) can then keep only the first frames."},
    {"rewind", (PyCFunction)core_rewind, METH_O,
     "rewind(kept): go back to the end of frame kept (1-based) of the last run_ahead."},
    {"ram", (PyCFunction)core_ram, METH_NOARGS, "A writable buffer over the 2 KiB work RAM."},
    {"screen", (PyCFunction)core_screen, METH_NOARGS, "A buffer over the 240x256 screen, 0x00RRGGBB words."},
    {"dump_state", (PyCFunction)core_dump_state, METH_NOARGS, "The whole machine state as bytes."},
    {"load_state", (PyCFunction)core_load_state, METH_O, "Restore a state from dump_state()."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject CoreType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "gym_mario_latent.emulator._nes.Core",
    .tp_basicsize = sizeof(Core),
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)core_init,
    .tp_dealloc = (destructor)core_dealloc,
    .tp_methods = core_methods,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Core(rom: bytes): an NES (mapper 0) running the given iNES image.",
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_nes", "The NES core of gym_mario_latent (C11).", -1, NULL,
};

PyMODINIT_FUNC PyInit__nes(void) {
    if (PyType_Ready(&RegionType) < 0 || PyType_Ready(&CoreType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&CoreType);
    if (PyModule_AddObject(m, "Core", (PyObject *)&CoreType) < 0) {
        Py_DECREF(&CoreType);
        Py_DECREF(m);
        return NULL;
    }
    PyModule_AddIntConstant(m, "STATE_SIZE", (long)STATE_BYTES);
    return m;
}
