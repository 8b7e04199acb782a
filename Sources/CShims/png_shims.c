#include "CShims.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

// Reading the header uses the classic API under our own setjmp, so a broken signature or IHDR
// returns a message instead of jumping into Swift.
typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} mm_png_source;

static void mm_png_read_data(png_structp png, png_bytep out, png_size_t length) {
    mm_png_source *source = (mm_png_source *)png_get_io_ptr(png);
    if (source->offset + length > source->size) {
        png_error(png, "unexpected end of file");
        return;
    }
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

typedef struct {
    char message[MM_MESSAGE_SIZE];
} mm_png_error_state;

static void mm_png_error_fn(png_structp png, png_const_charp text) {
    mm_png_error_state *state = (mm_png_error_state *)png_get_error_ptr(png);
    if (state != NULL) snprintf(state->message, MM_MESSAGE_SIZE, "%s", text);
    png_longjmp(png, 1);
}

static void mm_png_warning_fn(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

// Walks the chunk list of a PNG held in memory: every chunk must fit in the bytes there are.
// libpng allocates a chunk's buffer from its declared length before reading it (Debian's build
// sets no limit), so a 1 KB file declaring a 2 GB text chunk costs 2 GB: found by fuzzing.
// Since the whole file is in memory, a chunk longer than what is left is corrupt anyway.
static int mm_png_check_chunks(const uint8_t *data, size_t size, char message[MM_MESSAGE_SIZE]) {
    size_t offset = 8;
    while (offset + 12 <= size) {
        uint32_t length = ((uint32_t)data[offset] << 24) | ((uint32_t)data[offset + 1] << 16) |
                          ((uint32_t)data[offset + 2] << 8) | (uint32_t)data[offset + 3];
        if (length > size - offset - 12) {
            snprintf(message, MM_MESSAGE_SIZE, "chunk at byte %zu declares %u bytes, more than the file holds",
                     offset, length);
            return MM_ERR_CORRUPT;
        }
        if (memcmp(data + offset + 4, "IEND", 4) == 0) return MM_OK;
        offset += 12 + (size_t)length;
    }
    return MM_OK;  // truncated: libpng reports what is missing
}

int mm_png_read_info(const uint8_t *data, size_t size, mm_png_info *info,
                     char message[MM_MESSAGE_SIZE]) {
    mm_png_error_state state;
    memset(&state, 0, sizeof(state));
    if (size < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0) {
        snprintf(message, MM_MESSAGE_SIZE, "not a PNG signature");
        return MM_ERR_CORRUPT;
    }
    if (mm_png_check_chunks(data, size, message) != MM_OK) return MM_ERR_CORRUPT;
    png_structp png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, mm_png_error_fn, mm_png_warning_fn);
    if (png == NULL) {
        snprintf(message, MM_MESSAGE_SIZE, "cannot create a PNG reader");
        return MM_ERR_MEMORY;
    }
    png_infop header = png_create_info_struct(png);
    if (header == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        snprintf(message, MM_MESSAGE_SIZE, "cannot create a PNG reader");
        return MM_ERR_MEMORY;
    }
    mm_png_source source = {data, size, 0};
    if (setjmp(png_jmpbuf(png))) {
        snprintf(message, MM_MESSAGE_SIZE, "%s", state.message);
        png_destroy_read_struct(&png, &header, NULL);
        return MM_ERR_CORRUPT;
    }
    png_set_read_fn(png, &source, mm_png_read_data);
    png_read_info(png, header);
    info->width = png_get_image_width(png, header);
    info->height = png_get_image_height(png, header);
    info->bit_depth = png_get_bit_depth(png, header);
    info->color_type = png_get_color_type(png, header);
    info->interlaced = png_get_interlace_type(png, header) != PNG_INTERLACE_NONE;
    info->has_trns = png_get_valid(png, header, PNG_INFO_tRNS) ? 1 : 0;
    png_destroy_read_struct(&png, &header, NULL);
    return MM_OK;
}

// Decoding uses libpng's simplified API, which converts every colour type, bit depth, tRNS chunk
// and interlacing to RGBA8 and keeps its own setjmp inside libpng.
int mm_png_decode_rgba(const uint8_t *data, size_t size, uint64_t max_pixels, uint8_t **pixels,
                       int *width, int *height, char message[MM_MESSAGE_SIZE]) {
    png_image image;
    memset(&image, 0, sizeof(image));
    image.version = PNG_IMAGE_VERSION;
    *pixels = NULL;
    if (size < 8 || mm_png_check_chunks(data, size, message) != MM_OK) {
        if (size < 8) snprintf(message, MM_MESSAGE_SIZE, "not a PNG");
        return MM_ERR_CORRUPT;
    }
    if (!png_image_begin_read_from_memory(&image, data, size)) {
        snprintf(message, MM_MESSAGE_SIZE, "%s", image.message);
        png_image_free(&image);
        return MM_ERR_CORRUPT;
    }
    if (max_pixels > 0 && (uint64_t)image.width * (uint64_t)image.height > max_pixels) {
        snprintf(message, MM_MESSAGE_SIZE, "%ux%u is over the pixel budget of %llu",
                 image.width, image.height, (unsigned long long)max_pixels);
        png_image_free(&image);
        return MM_ERR_TOO_LARGE;
    }
    image.format = PNG_FORMAT_RGBA;
    size_t total = PNG_IMAGE_SIZE(image);
    uint8_t *buffer = (uint8_t *)malloc(total > 0 ? total : 1);
    if (buffer == NULL) {
        snprintf(message, MM_MESSAGE_SIZE, "cannot allocate %zu bytes", total);
        png_image_free(&image);
        return MM_ERR_MEMORY;
    }
    if (!png_image_finish_read(&image, NULL, buffer, 0, NULL)) {
        snprintf(message, MM_MESSAGE_SIZE, "%s", image.message);
        free(buffer);
        png_image_free(&image);
        return MM_ERR_CORRUPT;
    }
    *pixels = buffer;
    *width = (int)image.width;
    *height = (int)image.height;
    return MM_OK;
}

typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
    int failed;
} mm_png_sink;

static void mm_png_write_data(png_structp png, png_bytep bytes, png_size_t length) {
    mm_png_sink *sink = (mm_png_sink *)png_get_io_ptr(png);
    if (sink->size + length > sink->capacity) {
        size_t capacity = sink->capacity ? sink->capacity * 2 : 65536;
        while (capacity < sink->size + length) capacity *= 2;
        uint8_t *grown = (uint8_t *)realloc(sink->data, capacity);
        if (grown == NULL) {
            sink->failed = 1;
            png_error(png, "out of memory");
            return;
        }
        sink->data = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->data + sink->size, bytes, length);
    sink->size += length;
}

static void mm_png_flush(png_structp png) { (void)png; }

int mm_png_encode(const uint8_t *pixels, int width, int height, int channels, uint8_t **output,
                  size_t *output_size, char message[MM_MESSAGE_SIZE]) {
    mm_png_error_state state;
    memset(&state, 0, sizeof(state));
    *output = NULL;
    *output_size = 0;
    if (width <= 0 || height <= 0 || (channels != 3 && channels != 4)) {
        snprintf(message, MM_MESSAGE_SIZE, "invalid image geometry for PNG encoding");
        return MM_ERR_UNSUPPORTED;
    }
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, &state, mm_png_error_fn, mm_png_warning_fn);
    if (png == NULL) {
        snprintf(message, MM_MESSAGE_SIZE, "cannot create a PNG writer");
        return MM_ERR_MEMORY;
    }
    png_infop header = png_create_info_struct(png);
    if (header == NULL) {
        png_destroy_write_struct(&png, NULL);
        snprintf(message, MM_MESSAGE_SIZE, "cannot create a PNG writer");
        return MM_ERR_MEMORY;
    }
    mm_png_sink sink = {NULL, 0, 0, 0};
    if (setjmp(png_jmpbuf(png))) {
        snprintf(message, MM_MESSAGE_SIZE, "%s", state.message);
        png_destroy_write_struct(&png, &header);
        free(sink.data);
        return sink.failed ? MM_ERR_MEMORY : MM_ERR_CORRUPT;
    }
    png_set_write_fn(png, &sink, mm_png_write_data, mm_png_flush);
    png_set_compression_level(png, 6);
    png_set_IHDR(png, header, (png_uint_32)width, (png_uint_32)height, 8,
                 channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, header);
    size_t stride = (size_t)width * (size_t)channels;
    for (int y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)(pixels + stride * (size_t)y));
    }
    png_write_end(png, header);
    png_destroy_write_struct(&png, &header);
    *output = sink.data;
    *output_size = sink.size;
    return MM_OK;
}
