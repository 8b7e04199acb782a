// A progressive JPEG rewritten as a sequential one that keeps, per component, only the
// coefficients a reduced-size decode reads.
//
// libjpeg decodes a progressive file into coefficient buffers for the whole image (128 bytes per
// 8x8 block: 330 MB for 12000x9000 4:2:0) before the first row comes out, whatever the output
// scale. At 1/8 the inverse DCT of a full-resolution component is 1x1 (its DC coefficient alone)
// and that of a 2x-subsampled one 2x2 (coefficients 0, 1, 8, 9). So the scans are entropy-decoded
// here keeping just those coefficients (plus a bit per coefficient saying whether it is non-zero,
// which refinement scans need), AC scans of DC-only components are skipped without decoding, and
// the kept coefficients are entropy-coded again as one interleaved sequential scan with the
// standard tables. libjpeg then decodes that stream row by row at the same scale, to exactly the
// pixels its own decode of the original gives: the IDCTs read the same coefficients, and the
// upsampling and colour conversion are libjpeg's own.
//
// Anything this reader does not follow exactly as libjpeg would (arithmetic coding, a bogus
// progression, a premature marker, extraneous bytes, a DQT after the first scan, coefficients
// left incomplete, which would switch on libjpeg's block smoothing) returns MM_ERR_UNSUPPORTED,
// and the caller decodes the original with libjpeg, which then reports any damage itself.
// Damage inside a skipped scan goes unnoticed: those coefficients are not part of the image.

#include "CCodecShims.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codec_internal.h"

// Zigzag position -> natural (row-major) index, and back.
static const uint8_t mm_natural_order[64] = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
    30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

// MARK: - Input

#define MM_REDUCE_BUFFER 65536

typedef struct {
    const uint8_t *next;
    const uint8_t *end;
    int descriptor;  // -1: the whole input is [next, end)
    off_t offset;
    uint8_t *buffer;
} mm_input;

static int mm_input_byte(mm_input *input) {
    if (input->next == input->end) {
        if (input->descriptor < 0) return -1;
        ssize_t count;
        do {
            count = pread(input->descriptor, input->buffer, MM_REDUCE_BUFFER, input->offset);
        } while (count < 0 && errno == EINTR);
        if (count <= 0) return -1;
        input->offset += count;
        input->next = input->buffer;
        input->end = input->buffer + count;
    }
    return *input->next++;
}

static int mm_input_u16(mm_input *input) {
    int high = mm_input_byte(input);
    int low = mm_input_byte(input);
    if (high < 0 || low < 0) return -1;
    return high << 8 | low;
}

// MARK: - Output

typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
    uint64_t bits;  // pending bits, right-aligned
    int count;
    int failed;
} mm_output;

// Room for `count` more bytes; 0 (and `failed` set) when memory ran out.
static int mm_output_reserve(mm_output *output, size_t count) {
    if (output->failed) return 0;
    if (output->size + count <= output->capacity) return 1;
    size_t capacity = output->capacity < 65536 ? 65536 : output->capacity;
    while (capacity < output->size + count) capacity *= 2;
    uint8_t *grown = (uint8_t *)realloc(output->data, capacity);
    if (grown == NULL) {
        output->failed = 1;
        return 0;
    }
    output->data = grown;
    output->capacity = capacity;
    return 1;
}

static void mm_output_bytes(mm_output *output, const uint8_t *bytes, size_t count) {
    if (count == 0 || !mm_output_reserve(output, count)) return;
    memcpy(output->data + output->size, bytes, count);
    output->size += count;
}

static void mm_output_byte(mm_output *output, int byte) {
    uint8_t value = (uint8_t)byte;
    mm_output_bytes(output, &value, 1);
}

static inline void mm_output_bits(mm_output *output, uint32_t value, int count) {
    output->bits = output->bits << count | (value & ((1u << count) - 1));
    output->count += count;
    if (output->count < 8) return;
    // At most 7 whole bytes, each perhaps stuffed.
    if (!mm_output_reserve(output, 14)) return;
    while (output->count >= 8) {
        uint8_t byte = (uint8_t)(output->bits >> (output->count - 8));
        output->count -= 8;
        output->data[output->size++] = byte;
        if (byte == 0xFF) output->data[output->size++] = 0;
    }
}

static void mm_output_flush_bits(mm_output *output) {
    if (output->count > 0) mm_output_bits(output, 0x7F, 8 - output->count);
    output->bits = 0;
    output->count = 0;
}

// MARK: - Huffman tables

typedef struct {
    int defined;
    // Decoding: a 9-bit lookahead (length << 8 | symbol, 0 when longer), then the canonical walk.
    uint16_t lookup[512];
    int32_t maxcode[18];
    int32_t valoffset[17];
    uint8_t values[256];
} mm_huffman_decoder;

// As libjpeg's jpeg_make_d_derived_tbl: 0 when the table is one libjpeg would refuse.
static int mm_huffman_build(mm_huffman_decoder *table, const uint8_t counts[17], const uint8_t *values,
                            int is_dc) {
    int total = 0;
    for (int length = 1; length <= 16; length++) total += counts[length];
    if (total > 256) return 0;
    memcpy(table->values, values, (size_t)total);
    uint16_t sizes[257];
    int index = 0;
    for (int length = 1; length <= 16; length++) {
        for (int i = 0; i < counts[length]; i++) sizes[index++] = (uint16_t)length;
    }
    sizes[index] = 0;
    uint32_t codes[256];
    uint32_t code = 0;
    int size = sizes[0];
    index = 0;
    while (sizes[index]) {
        while (sizes[index] == size) codes[index++] = code++;
        if (code >= (1u << size)) return 0;
        code <<= 1;
        size++;
    }
    index = 0;
    for (int length = 1; length <= 16; length++) {
        if (counts[length]) {
            table->valoffset[length] = index - (int32_t)codes[index];
            index += counts[length];
            table->maxcode[length] = (int32_t)codes[index - 1];
        } else {
            table->maxcode[length] = -1;
        }
    }
    table->maxcode[17] = 0x7FFFFFFF;
    memset(table->lookup, 0, sizeof(table->lookup));
    index = 0;
    for (int length = 1; length <= 9; length++) {
        for (int i = 0; i < counts[length]; i++, index++) {
            int shift = 9 - length;
            uint32_t first = codes[index] << shift;
            for (uint32_t fill = 0; fill < (1u << shift); fill++) {
                table->lookup[first + fill] = (uint16_t)(length << 8 | table->values[index]);
            }
        }
    }
    if (is_dc) {
        for (int i = 0; i < total; i++) {
            if (values[i] > 15) return 0;
        }
    }
    table->defined = 1;
    return 1;
}

// MARK: - Entropy-coded data

typedef struct {
    mm_input *input;
    uint64_t bits;  // right-aligned
    int count;
    int marker;  // the marker that ended the data, or 0
} mm_bit_reader;

static void mm_bits_fill(mm_bit_reader *reader) {
    while (reader->count <= 56 && reader->marker == 0) {
        int byte = mm_input_byte(reader->input);
        if (byte < 0) {
            reader->marker = -1;
            return;
        }
        if (byte == 0xFF) {
            int next;
            do {
                next = mm_input_byte(reader->input);
            } while (next == 0xFF);
            if (next < 0) {
                reader->marker = -1;
                return;
            }
            if (next != 0) {
                reader->marker = next;
                return;
            }
        }
        reader->bits = reader->bits << 8 | (uint64_t)byte;
        reader->count += 8;
    }
}

// The next `count` bits (zeros past the end of the data), not consumed.
static inline uint32_t mm_bits_peek(mm_bit_reader *reader, int count) {
    if (reader->count < count) {
        mm_bits_fill(reader);
        if (reader->count < count) {
            return (uint32_t)(reader->bits << (count - reader->count)) & ((1u << count) - 1);
        }
    }
    return (uint32_t)(reader->bits >> (reader->count - count)) & ((1u << count) - 1);
}

// Consumes `count` bits; 0 when the data ended before them (libjpeg would warn: corrupt data).
static inline int mm_bits_skip(mm_bit_reader *reader, int count) {
    if (reader->count < count) {
        mm_bits_fill(reader);
        if (reader->count < count) return 0;
    }
    reader->count -= count;
    return 1;
}

static inline int mm_bits_get(mm_bit_reader *reader, int count, int *value) {
    if (count == 0) {
        *value = 0;
        return 1;
    }
    *value = (int)mm_bits_peek(reader, count);
    return mm_bits_skip(reader, count);
}

static inline int mm_extend(int value, int size) {
    return value < (1 << (size - 1)) ? value - (1 << size) + 1 : value;
}

// A Huffman symbol, or -1 for a code the table does not have or data that ended.
static int mm_huffman_decode(mm_bit_reader *reader, const mm_huffman_decoder *table) {
    uint32_t look = mm_bits_peek(reader, 9);
    uint16_t entry = table->lookup[look];
    if (entry != 0) return mm_bits_skip(reader, entry >> 8) ? (entry & 0xFF) : -1;
    uint32_t code = mm_bits_peek(reader, 16);
    for (int length = 10; length <= 16; length++) {
        int32_t prefix = (int32_t)(code >> (16 - length));
        if (prefix <= table->maxcode[length]) {
            if (!mm_bits_skip(reader, length)) return -1;
            return table->values[(prefix + table->valoffset[length]) & 0xFF];
        }
    }
    return -1;
}

// MARK: - The image

typedef struct {
    int id;
    int h;
    int v;
    int quant;
    int keep;            // coefficients kept per block
    int8_t slot[64];     // zigzag index -> its place among the kept ones, or -1
    uint8_t kept[64];    // the kept zigzag indices, ascending (kept[0] = 0, the DC)
    int width_in_blocks; // as libjpeg: ceil(ceil(width * h / hmax) / 8)
    int height_in_blocks;
    int stored_width;    // the MCU grid's width and height in blocks (interleaved scans pad)
    int stored_height;
    int16_t *dc;            // stored_width * stored_height DC coefficients
    // The kept AC coefficients, keep - 1 per block in slot order: one byte each while every
    // value fits (a thumbnail's worth of chroma coefficients at 25 per block is most of what is
    // held), two once one does not.
    int8_t *small_ac;
    int16_t *ac;
    // Whether each coefficient not kept is non-zero (refinement scans need it): flag_bytes per
    // block, bit flag_bit[k] for zigzag index k. A kept one is non-zero when its value is.
    uint8_t *flags;
    int flag_bytes;
    int8_t flag_bit[64];
    int coef_bits[64];      // libjpeg's progression bookkeeping
    int dc_predictor;
} mm_component;

typedef struct {
    uint16_t code[256];
    uint8_t length[256];
} mm_huffman_encoder;

struct mm_reduce {
    mm_input input;
    mm_output output;
    mm_huffman_decoder dc_tables[4];
    mm_huffman_decoder ac_tables[4];
    mm_component components[MM_JPEG_MAX_COMPONENTS];
    int component_count;
    int width;
    int height;
    int hmax;
    int vmax;
    int mcus_per_row;
    int mcu_rows;
    int restart_interval;
    int saw_frame;
    int saw_scan;
    // Writing the sequential stream, a chunk at a time.
    mm_huffman_encoder dc_encoder;
    mm_huffman_encoder ac_encoder;
    int predictors[MM_JPEG_MAX_COMPONENTS];
    int next_row;  // of MCUs; -1 before the headers went out
    int finished;
};

static int mm_unsupported(char message[MM_MESSAGE_SIZE], const char *reason) {
    snprintf(message, MM_MESSAGE_SIZE, "%s", reason);
    return MM_ERR_UNSUPPORTED;
}

// Copies a marker segment (marker, length, body) to the output.
static int mm_copy_segment(mm_reduce *reduce, int marker, int length) {
    uint8_t head[4] = {0xFF, (uint8_t)marker, (uint8_t)(length >> 8), (uint8_t)length};
    mm_output_bytes(&reduce->output, head, 4);
    for (int i = 0; i < length - 2; i++) {
        int byte = mm_input_byte(&reduce->input);
        if (byte < 0) return 0;
        mm_output_byte(&reduce->output, byte);
    }
    return 1;
}

static int mm_skip_segment(mm_reduce *reduce, int length) {
    for (int i = 0; i < length - 2; i++) {
        if (mm_input_byte(&reduce->input) < 0) return 0;
    }
    return 1;
}

static int mm_read_huffman_tables(mm_reduce *reduce, int length) {
    int left = length - 2;
    while (left > 0) {
        int kind = mm_input_byte(&reduce->input);
        if (kind < 0 || left < 17) return 0;
        uint8_t counts[17] = {0};
        int total = 0;
        for (int i = 1; i <= 16; i++) {
            int count = mm_input_byte(&reduce->input);
            if (count < 0) return 0;
            counts[i] = (uint8_t)count;
            total += count;
        }
        left -= 17;
        if (total > 256 || total > left) return 0;
        uint8_t values[256];
        for (int i = 0; i < total; i++) {
            int value = mm_input_byte(&reduce->input);
            if (value < 0) return 0;
            values[i] = (uint8_t)value;
        }
        left -= total;
        int index = kind & 0x0F;
        int is_ac = kind >> 4;
        if (index > 3 || is_ac > 1) return 0;
        mm_huffman_decoder *table = is_ac ? &reduce->ac_tables[index] : &reduce->dc_tables[index];
        if (!mm_huffman_build(table, counts, values, !is_ac)) return 0;
    }
    return left == 0;
}

static int mm_read_frame(mm_reduce *reduce, int length, const int scaled_size[MM_JPEG_MAX_COMPONENTS],
                         uint64_t max_blocks, char message[MM_MESSAGE_SIZE]) {
    int precision = mm_input_byte(&reduce->input);
    int height = mm_input_u16(&reduce->input);
    int width = mm_input_u16(&reduce->input);
    int count = mm_input_byte(&reduce->input);
    if (precision != 8) return mm_unsupported(message, "not an 8-bit JPEG");
    if (height <= 0 || width <= 0 || count < 1 || count > MM_JPEG_MAX_COMPONENTS ||
        length != 8 + 3 * count) {
        return mm_unsupported(message, "a frame header this reader does not follow");
    }
    reduce->width = width;
    reduce->height = height;
    reduce->component_count = count;
    reduce->hmax = 1;
    reduce->vmax = 1;
    for (int i = 0; i < count; i++) {
        mm_component *component = &reduce->components[i];
        component->id = mm_input_byte(&reduce->input);
        int sampling = mm_input_byte(&reduce->input);
        component->quant = mm_input_byte(&reduce->input);
        if (component->quant < 0 || sampling < 0) return mm_unsupported(message, "truncated frame header");
        component->h = sampling >> 4;
        component->v = sampling & 15;
        if (component->h < 1 || component->h > 4 || component->v < 1 || component->v > 4 ||
            component->quant > 3) {
            return mm_unsupported(message, "sampling factors this reader does not follow");
        }
        for (int j = 0; j < i; j++) {
            if (reduce->components[j].id == component->id) {
                return mm_unsupported(message, "two components with one identifier");
            }
        }
        // The rows and columns libjpeg's inverse DCTs read (jidctred.c: the 2x2 one skips rows
        // and columns 2, 4 and 6, the 4x4 one skips 4).
        int size = scaled_size[i];
        component->keep = 0;
        for (int k = 0; k < 64; k++) {
            int row = mm_natural_order[k] / 8;
            int column = mm_natural_order[k] % 8;
            int read = size >= 8 || (size == 4 && row != 4 && column != 4) ||
                       (size == 2 && (row < 2 || row % 2 == 1) && (column < 2 || column % 2 == 1)) ||
                       (row == 0 && column == 0);
            if (read) component->kept[component->keep] = (uint8_t)k;
            component->slot[k] = (int8_t)(read ? component->keep++ : -1);
        }
        int unkept = 0;
        for (int k = 0; k < 64; k++) component->flag_bit[k] = (int8_t)(k > 0 && component->slot[k] < 0 ? unkept++ : -1);
        component->flag_bytes = (unkept + 7) / 8;
        if (reduce->hmax < component->h) reduce->hmax = component->h;
        if (reduce->vmax < component->v) reduce->vmax = component->v;
        for (int k = 0; k < 64; k++) component->coef_bits[k] = -1;
    }
    reduce->mcus_per_row = (width + 8 * reduce->hmax - 1) / (8 * reduce->hmax);
    reduce->mcu_rows = (height + 8 * reduce->vmax - 1) / (8 * reduce->vmax);
    uint64_t blocks = 0;
    for (int i = 0; i < count; i++) {
        mm_component *component = &reduce->components[i];
        int64_t sampled_width = ((int64_t)width * component->h + reduce->hmax - 1) / reduce->hmax;
        int64_t sampled_height = ((int64_t)height * component->v + reduce->vmax - 1) / reduce->vmax;
        component->width_in_blocks = (int)((sampled_width + 7) / 8);
        component->height_in_blocks = (int)((sampled_height + 7) / 8);
        if (count == 1) {
            component->stored_width = component->width_in_blocks;
            component->stored_height = component->height_in_blocks;
        } else {
            component->stored_width = reduce->mcus_per_row * component->h;
            component->stored_height = reduce->mcu_rows * component->v;
        }
        blocks += (uint64_t)component->stored_width * (uint64_t)component->stored_height;
    }
    if (max_blocks > 0 && blocks > max_blocks) {
        snprintf(message, MM_MESSAGE_SIZE, "%dx%d is over the pixel budget", width, height);
        return MM_ERR_TOO_LARGE;
    }
    for (int i = 0; i < count; i++) {
        mm_component *component = &reduce->components[i];
        size_t stored = (size_t)component->stored_width * (size_t)component->stored_height;
        component->dc = (int16_t *)calloc(stored, sizeof(int16_t));
        if (component->keep > 1) {
            component->flags = (uint8_t *)calloc(stored * (size_t)component->flag_bytes + 1, 1);
            component->small_ac = (int8_t *)calloc(stored * (size_t)(component->keep - 1), 1);
        }
        if (component->dc == NULL ||
            (component->keep > 1 && (component->flags == NULL || component->small_ac == NULL))) {
            snprintf(message, MM_MESSAGE_SIZE, "out of memory");
            return MM_ERR_MEMORY;
        }
    }
    reduce->saw_frame = 1;
    return MM_OK;
}

static inline int mm_ac_get(const mm_component *component, size_t index) {
    return component->small_ac != NULL ? component->small_ac[index] : component->ac[index];
}

// Moves a component's AC coefficients to two bytes each; 0 when memory ran out.
static int mm_ac_widen(mm_component *component) {
    size_t count = (size_t)component->stored_width * (size_t)component->stored_height *
                   (size_t)(component->keep - 1);
    int16_t *wide = (int16_t *)malloc(count * sizeof(int16_t));
    if (wide == NULL) return 0;
    for (size_t i = 0; i < count; i++) wide[i] = component->small_ac[i];
    free(component->small_ac);
    component->small_ac = NULL;
    component->ac = wide;
    return 1;
}

static inline int mm_ac_set(mm_component *component, size_t index, int16_t value) {
    if (component->small_ac != NULL) {
        if (value >= -128 && value <= 127) {
            component->small_ac[index] = (int8_t)value;
            return 1;
        }
        if (!mm_ac_widen(component)) return 0;
    }
    component->ac[index] = value;
    return 1;
}

// A correction bit of 1 for a non-zero coefficient: one more bit of magnitude, as libjpeg adds it.
static inline int mm_ac_refine(mm_component *component, size_t index, int p1) {
    int value = mm_ac_get(component, index);
    if ((value & p1) != 0) return 1;
    return mm_ac_set(component, index, (int16_t)(value >= 0 ? value + p1 : value - p1));
}

typedef struct {
    mm_component *component;
    const mm_huffman_decoder *dc;
    const mm_huffman_decoder *ac;
} mm_scan_component;

typedef struct {
    mm_scan_component components[MM_JPEG_MAX_COMPONENTS];
    int count;
    int ss, se, ah, al;
    int eob_run;
} mm_scan;

static inline void mm_flags_store(uint8_t *bytes, int count, uint64_t flags, uint64_t loaded) {
    if (flags == loaded) return;
    for (int i = 0; i < count; i++) bytes[i] = (uint8_t)(flags >> (8 * i));
}

// One block of one scan. 0 when the data is not what libjpeg decodes without complaint.
static int mm_decode_block(mm_bit_reader *reader, mm_scan *scan, mm_scan_component *entry, int row,
                           int column) {
    mm_component *component = entry->component;
    size_t block = (size_t)row * (size_t)component->stored_width + (size_t)column;
    if (scan->ss == 0) {
        int16_t *dc = component->dc + block;
        if (scan->ah == 0) {
            int size = mm_huffman_decode(reader, entry->dc);
            int bits;
            if (size < 0 || !mm_bits_get(reader, size, &bits)) return 0;
            int difference = size ? mm_extend(bits, size) : 0;
            component->dc_predictor += difference;
            *dc = (int16_t)(int)((unsigned)component->dc_predictor << scan->al);
        } else {
            int bit;
            if (!mm_bits_get(reader, 1, &bit)) return 0;
            if (bit) *dc = (int16_t)(*dc | (1 << scan->al));
        }
        return 1;
    }
    const int8_t *slot = component->slot;
    const int8_t *flag_bit = component->flag_bit;
    uint8_t *flag_bytes = component->flags + block * (size_t)component->flag_bytes;
    uint64_t flags = 0;
    for (int i = 0; i < component->flag_bytes; i++) flags |= (uint64_t)flag_bytes[i] << (8 * i);
    uint64_t loaded = flags;
    // Slot s of this block is at first + s (slot 0, the DC, is held apart).
    size_t first = block * (size_t)(component->keep - 1) - 1;
    if (scan->ah == 0) {
        if (scan->eob_run > 0) {
            scan->eob_run--;
            return 1;
        }
        for (int k = scan->ss; k <= scan->se; k++) {
            int symbol = mm_huffman_decode(reader, entry->ac);
            if (symbol < 0) return 0;
            int run = symbol >> 4;
            int size = symbol & 15;
            if (size) {
                k += run;
                int bits;
                if (!mm_bits_get(reader, size, &bits)) return 0;
                // libjpeg writes past Se into its padded block: harmless there, refused here.
                if (k > scan->se) return 0;
                int16_t value = (int16_t)(int)((unsigned)mm_extend(bits, size) << scan->al);
                if (slot[k] > 0) {
                    if (!mm_ac_set(component, first + (size_t)slot[k], value)) return 0;
                } else if (value != 0) {
                    flags |= (uint64_t)1 << flag_bit[k];
                }
            } else if (run == 15) {
                k += 15;
            } else {
                scan->eob_run = 1 << run;
                if (run) {
                    int bits;
                    if (!mm_bits_get(reader, run, &bits)) return 0;
                    scan->eob_run += bits;
                }
                scan->eob_run--;
                break;
            }
        }
        mm_flags_store(flag_bytes, component->flag_bytes, flags, loaded);
        return 1;
    }
    // Successive approximation refinement (T.81 G.1.2.3), as libjpeg's decode_mcu_AC_refine.
    int p1 = 1 << scan->al;
    int m1 = -1 * (1 << scan->al);
    int k = scan->ss;
    if (scan->eob_run == 0) {
        for (; k <= scan->se; k++) {
            int symbol = mm_huffman_decode(reader, entry->ac);
            if (symbol < 0) return 0;
            int run = symbol >> 4;
            int size = symbol & 15;
            int value = 0;
            if (size) {
                if (size != 1) return 0;  // libjpeg warns: corrupt data
                int bit;
                if (!mm_bits_get(reader, 1, &bit)) return 0;
                value = bit ? p1 : m1;
            } else if (run != 15) {
                scan->eob_run = 1 << run;
                if (run) {
                    int bits;
                    if (!mm_bits_get(reader, run, &bits)) return 0;
                    scan->eob_run += bits;
                }
                break;
            }
            do {
                if (slot[k] > 0 ? mm_ac_get(component, first + (size_t)slot[k]) != 0 : (flags >> flag_bit[k] & 1)) {
                    int bit;
                    if (!mm_bits_get(reader, 1, &bit)) return 0;
                    if (bit && slot[k] > 0 && !mm_ac_refine(component, first + (size_t)slot[k], p1)) return 0;
                } else {
                    if (--run < 0) break;
                }
                k++;
            } while (k <= scan->se);
            if (value) {
                if (k > scan->se) return 0;
                if (slot[k] > 0) {
                    if (!mm_ac_set(component, first + (size_t)slot[k], (int16_t)value)) return 0;
                } else {
                    flags |= (uint64_t)1 << flag_bit[k];
                }
            }
        }
    }
    if (scan->eob_run > 0) {
        for (; k <= scan->se; k++) {
            if (slot[k] > 0 ? mm_ac_get(component, first + (size_t)slot[k]) != 0 : (flags >> flag_bit[k] & 1)) {
                int bit;
                if (!mm_bits_get(reader, 1, &bit)) return 0;
                if (bit && slot[k] > 0 && !mm_ac_refine(component, first + (size_t)slot[k], p1)) return 0;
            }
        }
        scan->eob_run--;
    }
    mm_flags_store(flag_bytes, component->flag_bytes, flags, loaded);
    return 1;
}

// After a restart interval: the expected RSTn, predictors and run reset.
static int mm_restart(mm_bit_reader *reader, mm_scan *scan, int *next_restart) {
    // Whole bytes left over would be extraneous data, which libjpeg warns about.
    if (reader->count >= 8) return 0;
    reader->count = 0;
    reader->bits = 0;
    if (reader->marker == 0) mm_bits_fill(reader);
    if (reader->count != 0 || reader->marker != 0xD0 + *next_restart) return 0;
    reader->marker = 0;
    *next_restart = (*next_restart + 1) & 7;
    for (int i = 0; i < scan->count; i++) scan->components[i].component->dc_predictor = 0;
    scan->eob_run = 0;
    return 1;
}

// Where a scan is in its restart intervals.
typedef struct {
    int left;  // MCUs before the next restart marker
    int next;  // the RSTn expected next
} mm_restarts;

// Before each MCU: a restart marker when an interval has passed (no-op without DRI).
static int mm_count_mcu(mm_bit_reader *reader, mm_scan *scan, int interval, mm_restarts *restarts) {
    if (interval == 0) return 1;
    if (restarts->left == 0) {
        if (!mm_restart(reader, scan, &restarts->next)) return 0;
        restarts->left = interval;
    }
    restarts->left--;
    return 1;
}

// Decodes a scan's entropy-coded data; the marker after it is returned in *marker.
static int mm_decode_scan(mm_reduce *reduce, mm_scan *scan, int *marker) {
    mm_bit_reader reader = {&reduce->input, 0, 0, 0};
    for (int i = 0; i < scan->count; i++) scan->components[i].component->dc_predictor = 0;
    scan->eob_run = 0;
    mm_restarts restarts = {reduce->restart_interval, 0};
    if (scan->count == 1) {
        mm_scan_component *entry = &scan->components[0];
        mm_component *component = entry->component;
        for (int row = 0; row < component->height_in_blocks; row++) {
            for (int column = 0; column < component->width_in_blocks; column++) {
                if (!mm_count_mcu(&reader, scan, reduce->restart_interval, &restarts)) return 0;
                if (!mm_decode_block(&reader, scan, entry, row, column)) return 0;
            }
        }
    } else {
        int blocks_in_mcu = 0;
        for (int i = 0; i < scan->count; i++) {
            blocks_in_mcu += scan->components[i].component->h * scan->components[i].component->v;
        }
        if (blocks_in_mcu > 10) return 0;
        for (int mcu_row = 0; mcu_row < reduce->mcu_rows; mcu_row++) {
            for (int mcu = 0; mcu < reduce->mcus_per_row; mcu++) {
                if (!mm_count_mcu(&reader, scan, reduce->restart_interval, &restarts)) return 0;
                for (int i = 0; i < scan->count; i++) {
                    mm_scan_component *entry = &scan->components[i];
                    int h = entry->component->h;
                    int v = entry->component->v;
                    for (int y = 0; y < v; y++) {
                        for (int x = 0; x < h; x++) {
                            if (!mm_decode_block(&reader, scan, entry, mcu_row * v + y, mcu * h + x)) return 0;
                        }
                    }
                }
            }
        }
    }
    // Only the padding of the last byte may be left (libjpeg counts whole bytes as extraneous).
    if (reader.count >= 8) return 0;
    if (reader.marker == 0) mm_bits_fill(&reader);
    if (reader.count >= 8 || reader.marker <= 0) return 0;
    *marker = reader.marker;
    return 1;
}

// Skips a scan's entropy-coded data up to the marker after it.
static int mm_skip_scan(mm_reduce *reduce, int *marker) {
    mm_input *input = &reduce->input;
    for (;;) {
        size_t available = (size_t)(input->end - input->next);
        const uint8_t *found = available == 0 ? NULL : memchr(input->next, 0xFF, available);
        if (found == NULL && input->next != input->end) {
            input->next = input->end;
            continue;
        }
        if (found != NULL) input->next = found;
        int byte = mm_input_byte(input);
        if (byte < 0) return 0;
        if (byte != 0xFF) continue;
        int next;
        do {
            next = mm_input_byte(&reduce->input);
        } while (next == 0xFF);
        if (next < 0) return 0;
        if (next == 0 || (next >= 0xD0 && next <= 0xD7)) continue;
        *marker = next;
        return 1;
    }
}

// Reads a scan header, checks the progression as libjpeg does, then decodes or skips the scan.
static int mm_read_scan(mm_reduce *reduce, int length, int *marker, char message[MM_MESSAGE_SIZE]) {
    if (!reduce->saw_frame) return mm_unsupported(message, "a scan before the frame header");
    int count = mm_input_byte(&reduce->input);
    if (count < 1 || count > reduce->component_count || length != 6 + 2 * count) {
        return mm_unsupported(message, "a scan header this reader does not follow");
    }
    mm_scan scan;
    memset(&scan, 0, sizeof(scan));
    scan.count = count;
    for (int i = 0; i < count; i++) {
        int id = mm_input_byte(&reduce->input);
        int tables = mm_input_byte(&reduce->input);
        if (id < 0 || tables < 0) return mm_unsupported(message, "truncated scan header");
        mm_component *found = NULL;
        for (int c = 0; c < reduce->component_count; c++) {
            if (reduce->components[c].id == id) {
                found = &reduce->components[c];
                break;
            }
        }
        for (int j = 0; j < i; j++) {
            if (scan.components[j].component == found) found = NULL;
        }
        if (found == NULL || (tables >> 4) > 3 || (tables & 15) > 3) {
            return mm_unsupported(message, "a scan naming an unknown component or table");
        }
        scan.components[i].component = found;
        scan.components[i].dc = &reduce->dc_tables[tables >> 4];
        scan.components[i].ac = &reduce->ac_tables[tables & 15];
    }
    scan.ss = mm_input_byte(&reduce->input);
    scan.se = mm_input_byte(&reduce->input);
    int approximation = mm_input_byte(&reduce->input);
    if (scan.ss < 0 || scan.se < 0 || approximation < 0) return mm_unsupported(message, "truncated scan header");
    scan.ah = approximation >> 4;
    scan.al = approximation & 15;
    // libjpeg's start_pass_phuff_decoder checks, with its warnings treated as errors.
    int bad = 0;
    if (scan.ss == 0) {
        if (scan.se != 0) bad = 1;
    } else {
        if (scan.se < scan.ss || scan.se > 63 || count != 1) bad = 1;
    }
    if (scan.ah != 0 && scan.al != scan.ah - 1) bad = 1;
    if (scan.al > 13) bad = 1;
    if (bad) return mm_unsupported(message, "a progression libjpeg refuses");
    for (int i = 0; i < count; i++) {
        mm_component *component = scan.components[i].component;
        if (scan.ss != 0 && component->coef_bits[0] < 0) return mm_unsupported(message, "AC before DC");
        for (int k = scan.ss; k <= scan.se; k++) {
            int expected = component->coef_bits[k] < 0 ? 0 : component->coef_bits[k];
            if (scan.ah != expected) return mm_unsupported(message, "a progression libjpeg refuses");
            component->coef_bits[k] = scan.al;
        }
        int needs_table = scan.ss == 0 ? scan.ah == 0 : 1;
        const mm_huffman_decoder *table = scan.ss == 0 ? scan.components[i].dc : scan.components[i].ac;
        if (needs_table && !table->defined && !(scan.ss > 0 && component->keep == 1)) {
            return mm_unsupported(message, "a scan without its Huffman table");
        }
    }
    reduce->saw_scan = 1;
    if (scan.ss > 0 && scan.components[0].component->keep == 1) {
        return mm_skip_scan(reduce, marker) ? MM_OK : mm_unsupported(message, "truncated");
    }
    if (!mm_decode_scan(reduce, &scan, marker)) {
        return mm_unsupported(message, "entropy-coded data libjpeg would warn about");
    }
    return MM_OK;
}

// MARK: - The sequential stream

// ITU T.81 Annex K, tables K.3 and K.5: luminance DC and AC.
static const uint8_t mm_dc_counts[17] = {0, 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
static const uint8_t mm_dc_values[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
static const uint8_t mm_ac_counts[17] = {0, 0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d};
static const uint8_t mm_ac_values[162] = {
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61,
    0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52,
    0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25,
    0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45,
    0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64,
    0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83,
    0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
    0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
    0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3,
    0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8,
    0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa};


static void mm_encoder_build(mm_huffman_encoder *encoder, const uint8_t counts[17], const uint8_t *values) {
    memset(encoder, 0, sizeof(*encoder));
    uint32_t code = 0;
    int index = 0;
    for (int length = 1; length <= 16; length++) {
        for (int i = 0; i < counts[length]; i++, index++) {
            encoder->code[values[index]] = (uint16_t)code++;
            encoder->length[values[index]] = (uint8_t)length;
        }
        code <<= 1;
    }
}

static void mm_write_table(mm_output *output, int kind, const uint8_t counts[17], const uint8_t *values,
                           int total) {
    int length = 2 + 1 + 16 + total;
    uint8_t head[5] = {0xFF, 0xC4, (uint8_t)(length >> 8), (uint8_t)length, (uint8_t)kind};
    mm_output_bytes(output, head, 5);
    mm_output_bytes(output, counts + 1, 16);
    mm_output_bytes(output, values, (size_t)total);
}

static inline int mm_magnitude(int value) {
    unsigned magnitude = (unsigned)(value < 0 ? -value : value);
    return magnitude == 0 ? 0 : 32 - __builtin_clz(magnitude);
}

static inline void mm_emit(mm_output *output, const mm_huffman_encoder *table, int symbol) {
    mm_output_bits(output, table->code[symbol], table->length[symbol]);
}

// A block's kept coefficients (values checked by mm_codable beforehand).
static void mm_encode_block(mm_output *output, mm_component *component, size_t block, int *predictor,
                            const mm_huffman_encoder *dc, const mm_huffman_encoder *ac) {
    int difference = component->dc[block] - *predictor;
    *predictor = component->dc[block];
    size_t first = block * (size_t)(component->keep - 1) - 1;
    int size = mm_magnitude(difference);
    mm_emit(output, dc, size);
    if (size) mm_output_bits(output, (uint32_t)(difference < 0 ? difference - 1 : difference), size);
    // Coefficients not kept are zero in the sequential stream: they count in the runs.
    int last = 0;
    for (int s = 1; s < component->keep; s++) {
        int value = mm_ac_get(component, first + (size_t)s);
        if (value == 0) continue;
        int k = component->kept[s];
        int run = k - last - 1;
        while (run > 15) {
            mm_emit(output, ac, 0xF0);
            run -= 16;
        }
        size = mm_magnitude(value);
        mm_emit(output, ac, run << 4 | size);
        mm_output_bits(output, (uint32_t)(value < 0 ? value - 1 : value), size);
        last = k;
    }
    if (last < 63) mm_emit(output, ac, 0x00);
}

// The frame, tables and scan header of the sequential stream, after what was copied.
static void mm_write_headers(mm_reduce *reduce) {
    mm_output *output = &reduce->output;
    int count = reduce->component_count;
    // SOF1 (extended sequential, Huffman): takes 16-bit quantization tables as well.
    int length = 8 + 3 * count;
    uint8_t frame[10] = {0xFF, 0xC1, (uint8_t)(length >> 8), (uint8_t)length, 8,
                         (uint8_t)(reduce->height >> 8), (uint8_t)reduce->height,
                         (uint8_t)(reduce->width >> 8), (uint8_t)reduce->width, (uint8_t)count};
    mm_output_bytes(output, frame, 10);
    for (int i = 0; i < count; i++) {
        mm_component *component = &reduce->components[i];
        uint8_t entry[3] = {(uint8_t)component->id, (uint8_t)(component->h << 4 | component->v),
                            (uint8_t)component->quant};
        mm_output_bytes(output, entry, 3);
    }
    mm_write_table(output, 0x00, mm_dc_counts, mm_dc_values, 12);
    mm_write_table(output, 0x10, mm_ac_counts, mm_ac_values, 162);
    length = 6 + 2 * count;
    uint8_t scan[5] = {0xFF, 0xDA, (uint8_t)(length >> 8), (uint8_t)length, (uint8_t)count};
    mm_output_bytes(output, scan, 5);
    for (int i = 0; i < count; i++) {
        uint8_t entry[2] = {(uint8_t)reduce->components[i].id, 0x00};
        mm_output_bytes(output, entry, 2);
    }
    uint8_t spectral[3] = {0, 63, 0};
    mm_output_bytes(output, spectral, 3);
    mm_encoder_build(&reduce->dc_encoder, mm_dc_counts, mm_dc_values);
    mm_encoder_build(&reduce->ac_encoder, mm_ac_counts, mm_ac_values);
}

// One row of MCUs (of blocks, for one component) of the sequential scan.
static void mm_write_row(mm_reduce *reduce, int row) {
    mm_output *output = &reduce->output;
    if (reduce->component_count == 1) {
        mm_component *component = &reduce->components[0];
        for (int column = 0; column < component->width_in_blocks; column++) {
            size_t block = (size_t)row * (size_t)component->stored_width + (size_t)column;
            mm_encode_block(output, component, block, &reduce->predictors[0], &reduce->dc_encoder,
                            &reduce->ac_encoder);
        }
        return;
    }
    for (int mcu = 0; mcu < reduce->mcus_per_row; mcu++) {
        for (int i = 0; i < reduce->component_count; i++) {
            mm_component *component = &reduce->components[i];
            for (int y = 0; y < component->v; y++) {
                for (int x = 0; x < component->h; x++) {
                    size_t block = (size_t)(row * component->v + y) * (size_t)component->stored_width +
                                   (size_t)(mcu * component->h + x);
                    mm_encode_block(output, component, block, &reduce->predictors[i], &reduce->dc_encoder,
                                    &reduce->ac_encoder);
                }
            }
        }
    }
}

// Every kept coefficient within what the standard tables code (DC differences of up to 11 bits,
// AC values of up to 10): true for any 8-bit JPEG, checked so the stream can never fail midway.
static int mm_codable(const mm_reduce *reduce) {
    for (int i = 0; i < reduce->component_count; i++) {
        const mm_component *component = &reduce->components[i];
        size_t blocks = (size_t)component->stored_width * (size_t)component->stored_height;
        for (size_t b = 0; b < blocks; b++) {
            if (component->dc[b] < -1023 || component->dc[b] > 1023) return 0;
        }
        if (component->ac != NULL) {
            size_t count = blocks * (size_t)(component->keep - 1);
            for (size_t b = 0; b < count; b++) {
                if (component->ac[b] < -1023 || component->ac[b] > 1023) return 0;
            }
        }
    }
    return 1;
}

// MARK: - Entry point

static int mm_reduce_run(mm_reduce *reduce, const int scaled_size[MM_JPEG_MAX_COMPONENTS], uint64_t max_blocks,
                         char message[MM_MESSAGE_SIZE]) {
    if (mm_input_byte(&reduce->input) != 0xFF || mm_input_byte(&reduce->input) != 0xD8) {
        return mm_unsupported(message, "not a JPEG");
    }
    mm_output_bytes(&reduce->output, (const uint8_t[]){0xFF, 0xD8}, 2);
    int marker = 0;
    for (;;) {
        if (marker == 0) {
            int byte = mm_input_byte(&reduce->input);
            if (byte != 0xFF) return mm_unsupported(message, "bytes between segments");
            do {
                marker = mm_input_byte(&reduce->input);
            } while (marker == 0xFF);
            if (marker < 0) return mm_unsupported(message, "truncated");
        }
        int current = marker;
        marker = 0;
        if (current == 0xD9) break;
        if (current == 0x01 || current == 0x00 || (current >= 0xD0 && current <= 0xD8)) {
            return mm_unsupported(message, "a marker out of place");
        }
        int length = mm_input_u16(&reduce->input);
        if (length < 2) return mm_unsupported(message, "truncated");
        int ok = 1;
        int status = MM_OK;
        switch (current) {
        case 0xC2:
            if (reduce->saw_frame) return mm_unsupported(message, "two frames");
            status = mm_read_frame(reduce, length, scaled_size, max_blocks, message);
            break;
        case 0xC4:
            ok = mm_read_huffman_tables(reduce, length);
            break;
        case 0xDB:
            // libjpeg latches a component's table at its first scan: one defined later is refused.
            if (reduce->saw_scan) return mm_unsupported(message, "a quantization table after a scan");
            ok = mm_copy_segment(reduce, current, length);
            break;
        case 0xDD: {
            int interval = mm_input_u16(&reduce->input);
            if (length != 4 || interval < 0) {
                return mm_unsupported(message, "a restart interval this reader does not follow");
            }
            reduce->restart_interval = interval;
            break;
        }
        case 0xDA:
            status = mm_read_scan(reduce, length, &marker, message);
            break;
        default:
            if (current >= 0xE0 && current <= 0xEF) {
                // APPn (JFIF, ICC profile, Adobe colour transform) as the original has them.
                if (reduce->saw_scan) {
                    ok = mm_skip_segment(reduce, length);
                } else {
                    ok = mm_copy_segment(reduce, current, length);
                }
            } else if (current == 0xFE) {
                ok = mm_skip_segment(reduce, length);
            } else {
                return mm_unsupported(message, "not a progressive Huffman-coded JPEG");
            }
        }
        if (status != MM_OK) return status;
        if (!ok) return mm_unsupported(message, "a segment this reader does not follow");
    }
    if (!reduce->saw_scan) return mm_unsupported(message, "no scan");
    // libjpeg smooths blocks when coefficients 1 to 9 stay incomplete; the reduced stream would not.
    for (int i = 0; i < reduce->component_count; i++) {
        for (int k = 0; k < 10; k++) {
            if (reduce->components[i].coef_bits[k] != 0) return mm_unsupported(message, "coefficients left incomplete");
        }
    }
    if (!mm_codable(reduce)) return mm_unsupported(message, "coefficients the standard tables do not code");
    reduce->next_row = -1;
    return MM_OK;
}

mm_reduce *mm_jpeg_reduce_open(const uint8_t *data, size_t size, int descriptor,
                               const int scaled_size[MM_JPEG_MAX_COMPONENTS], uint64_t max_blocks, int *status,
                               char message[MM_MESSAGE_SIZE]) {
    message[0] = 0;
    mm_reduce *reduce = (mm_reduce *)calloc(1, sizeof(mm_reduce));
    if (reduce == NULL) {
        snprintf(message, MM_MESSAGE_SIZE, "out of memory");
        *status = MM_ERR_MEMORY;
        return NULL;
    }
    reduce->input.descriptor = data != NULL ? -1 : descriptor;
    if (data != NULL) {
        reduce->input.next = data;
        reduce->input.end = data + size;
    } else {
        reduce->input.buffer = (uint8_t *)malloc(MM_REDUCE_BUFFER);
        if (reduce->input.buffer == NULL) {
            free(reduce);
            snprintf(message, MM_MESSAGE_SIZE, "out of memory");
            *status = MM_ERR_MEMORY;
            return NULL;
        }
    }
    *status = mm_reduce_run(reduce, scaled_size, max_blocks, message);
    // The input is read to its end: its buffer is not needed for the writing.
    free(reduce->input.buffer);
    reduce->input.buffer = NULL;
    if (*status != MM_OK) {
        mm_jpeg_reduce_close(reduce);
        return NULL;
    }
    return reduce;
}

int mm_jpeg_reduce_next(mm_reduce *reduce, const uint8_t **chunk, size_t *chunk_size) {
    if (reduce->finished) return 0;
    if (reduce->next_row < 0) {
        // The first chunk: SOI and the copied segments, already there, then the headers.
        mm_write_headers(reduce);
        reduce->next_row = 0;
    } else {
        reduce->output.size = 0;
    }
    int rows = reduce->component_count == 1 ? reduce->components[0].height_in_blocks : reduce->mcu_rows;
    while (reduce->next_row < rows && reduce->output.size < MM_REDUCE_BUFFER / 2) {
        mm_write_row(reduce, reduce->next_row++);
    }
    if (reduce->next_row == rows) {
        mm_output_flush_bits(&reduce->output);
        mm_output_bytes(&reduce->output, (const uint8_t[]){0xFF, 0xD9}, 2);
        reduce->finished = 1;
    }
    if (reduce->output.failed) return -1;
    *chunk = reduce->output.data;
    *chunk_size = reduce->output.size;
    return 1;
}

void mm_jpeg_reduce_close(mm_reduce *reduce) {
    if (reduce == NULL) return;
    for (int i = 0; i < MM_JPEG_MAX_COMPONENTS; i++) {
        free(reduce->components[i].dc);
        free(reduce->components[i].small_ac);
        free(reduce->components[i].ac);
        free(reduce->components[i].flags);
    }
    free(reduce->input.buffer);
    free(reduce->output.data);
    free(reduce);
}

int mm_jpeg_reduce_scans(const uint8_t *data, size_t size, int descriptor,
                         const int scaled_size[MM_JPEG_MAX_COMPONENTS], uint64_t max_blocks, uint8_t **output,
                         size_t *output_size, char message[MM_MESSAGE_SIZE]) {
    *output = NULL;
    *output_size = 0;
    int status;
    mm_reduce *reduce = mm_jpeg_reduce_open(data, size, descriptor, scaled_size, max_blocks, &status, message);
    if (reduce == NULL) return status;
    mm_output whole = {0};
    const uint8_t *chunk;
    size_t chunk_size;
    int next;
    while ((next = mm_jpeg_reduce_next(reduce, &chunk, &chunk_size)) > 0) mm_output_bytes(&whole, chunk, chunk_size);
    mm_jpeg_reduce_close(reduce);
    if (next < 0 || whole.failed) {
        free(whole.data);
        snprintf(message, MM_MESSAGE_SIZE, "out of memory");
        return MM_ERR_MEMORY;
    }
    *output = whole.data;
    *output_size = whole.size;
    return MM_OK;
}
