#include "CCodecShims.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include <png.h>

// Where a PNG is read from: bytes in memory or a file, read with pread.
typedef struct {
    const uint8_t *data;  // NULL: read the file at `descriptor`
    size_t size;
    size_t offset;
    int descriptor;
} mm_png_source;

static void mm_png_read_data(png_structp png, png_bytep out, png_size_t length) {
    mm_png_source *source = (mm_png_source *)png_get_io_ptr(png);
    if (source->data == NULL) {
        size_t done = 0;
        while (done < length) {
            ssize_t count = pread(source->descriptor, out + done, length - done,
                                  (off_t)(source->offset + done));
            if (count < 0 && errno == EINTR) continue;
            if (count <= 0) {
                png_error(png, count == 0 ? "unexpected end of file" : "cannot read the file");
                return;
            }
            done += (size_t)count;
        }
        source->offset += length;
        return;
    }
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

// The 8 bytes at `offset`; 0 when the source does not hold them all.
static int mm_png_peek(const mm_png_source *source, size_t offset, uint8_t bytes[8]) {
    if (offset > source->size || source->size - offset < 8) return 0;
    if (source->data != NULL) {
        memcpy(bytes, source->data + offset, 8);
        return 1;
    }
    ssize_t count;
    do {
        count = pread(source->descriptor, bytes, 8, (off_t)offset);
    } while (count < 0 && errno == EINTR);
    return count == 8;
}

// Walks the chunk list, reading each chunk's header: every chunk must fit in the bytes there
// are. libpng allocates a chunk's buffer from its declared length before reading it (Debian's
// build sets no limit), so a 1 KB file declaring a 2 GB text chunk costs 2 GB: found by fuzzing.
// A chunk longer than what is left of the file is corrupt anyway.
static int mm_png_check_chunks(const mm_png_source *source, char message[MM_MESSAGE_SIZE]) {
    size_t offset = 8;
    uint8_t header[8];
    while (offset + 12 <= source->size && mm_png_peek(source, offset, header)) {
        uint32_t length = ((uint32_t)header[0] << 24) | ((uint32_t)header[1] << 16) |
                          ((uint32_t)header[2] << 8) | (uint32_t)header[3];
        if (length > source->size - offset - 12) {
            snprintf(message, MM_MESSAGE_SIZE, "chunk at byte %zu declares %u bytes, more than the file holds",
                     offset, length);
            return MM_ERR_CORRUPT;
        }
        if (memcmp(header + 4, "IEND", 4) == 0) return MM_OK;
        offset += 12 + (size_t)length;
    }
    return MM_OK;  // truncated: libpng reports what is missing
}

// Decoding uses the classic API row by row, so an image is never held whole (except an
// interlaced one, whose last pass completes each row only at the end).
struct mm_png_reader {
    png_structp png;
    png_infop info;
    mm_png_source source;
    mm_png_error_state state;
    uint32_t width;
    uint32_t height;
    int channels;
    int status;
    int finished;
    uint32_t next_row;
    uint8_t *interlaced_image;  // the whole image, for interlaced files only
    uint8_t *icc;
    size_t icc_size;
};

static void mm_png_reader_free(mm_png_reader *reader) {
    png_destroy_read_struct(&reader->png, &reader->info, NULL);
    free(reader->interlaced_image);
    free(reader->icc);
    free(reader);
}

// Reads from `data` when it is not NULL, else from `descriptor` (a file of `size` bytes).
static int mm_png_reader_open_source(const uint8_t *data, size_t size, int descriptor,
                                     uint64_t max_pixels, int always_alpha,
                                     mm_png_reader **result, int *width, int *height,
                                     int *channels, char message[MM_MESSAGE_SIZE]) {
    *result = NULL;
    mm_png_source source = {data, size, 0, descriptor};
    uint8_t signature[8];
    if (!mm_png_peek(&source, 0, signature) || png_sig_cmp(signature, 0, 8) != 0) {
        snprintf(message, MM_MESSAGE_SIZE, "not a PNG signature");
        return MM_ERR_CORRUPT;
    }
    if (mm_png_check_chunks(&source, message) != MM_OK) return MM_ERR_CORRUPT;
    mm_png_reader *reader = (mm_png_reader *)calloc(1, sizeof(mm_png_reader));
    if (reader == NULL) {
        snprintf(message, MM_MESSAGE_SIZE, "cannot allocate a PNG reader");
        return MM_ERR_MEMORY;
    }
    reader->source = source;
    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader->state, mm_png_error_fn,
                                         mm_png_warning_fn);
    if (reader->png != NULL) reader->info = png_create_info_struct(reader->png);
    if (reader->png == NULL || reader->info == NULL) {
        mm_png_reader_free(reader);
        snprintf(message, MM_MESSAGE_SIZE, "cannot create a PNG reader");
        return MM_ERR_MEMORY;
    }

    mm_png_reader *volatile guarded = reader;
    if (setjmp(png_jmpbuf(reader->png))) {
        int status = guarded->status != MM_OK ? guarded->status : MM_ERR_CORRUPT;
        snprintf(message, MM_MESSAGE_SIZE, "%s", guarded->state.message);
        mm_png_reader_free(guarded);
        return status;
    }
    png_structp png = reader->png;
    png_infop info = reader->info;
    png_set_read_fn(png, &reader->source, mm_png_read_data);
    // Every ancillary chunk but iCCP is skipped unread, as libpng's simplified API does: text
    // chunks would otherwise be inflated and kept (a few KB of zTXt can hold megabytes, and
    // libpng keeps up to a thousand of them).
    static const png_byte kept_chunks[] = {105, 67, 67, 80, '\0'};  // iCCP
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_AS_DEFAULT, kept_chunks, 1);
    png_read_info(png, info);
    png_charp icc_name = NULL;
    int icc_compression = 0;
    png_bytep icc = NULL;
    png_uint_32 icc_size = 0;
    if (png_get_iCCP(png, info, &icc_name, &icc_compression, &icc, &icc_size) && icc_size > 0) {
        reader->icc = (uint8_t *)malloc(icc_size);
        if (reader->icc != NULL) {
            memcpy(reader->icc, icc, icc_size);
            reader->icc_size = icc_size;
        }
    }
    uint32_t image_width = png_get_image_width(png, info);
    uint32_t image_height = png_get_image_height(png, info);
    if (max_pixels > 0 && (uint64_t)image_width * (uint64_t)image_height > max_pixels) {
        reader->status = MM_ERR_TOO_LARGE;
        snprintf(reader->state.message, MM_MESSAGE_SIZE, "%ux%u is over the pixel budget of %llu",
                 image_width, image_height, (unsigned long long)max_pixels);
        png_longjmp(png, 1);
    }
    int color_type = png_get_color_type(png, info);
    int bit_depth = png_get_bit_depth(png, info);
    int alpha = (color_type & PNG_COLOR_MASK_ALPHA) != 0;
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) {
        png_set_tRNS_to_alpha(png);
        alpha = 1;
    }
    if (bit_depth == 16) png_set_scale_16(png);
    if ((color_type & PNG_COLOR_MASK_COLOR) == 0) png_set_gray_to_rgb(png);
    if (!alpha && always_alpha) png_set_filler(png, 0xFF, PNG_FILLER_AFTER);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    reader->width = image_width;
    reader->height = image_height;
    reader->channels = png_get_channels(png, info);
    size_t stride = (size_t)image_width * (size_t)reader->channels;
    if ((reader->channels != 3 && reader->channels != 4) || png_get_rowbytes(png, info) != stride) {
        snprintf(reader->state.message, MM_MESSAGE_SIZE, "unexpected row layout after conversion");
        png_longjmp(png, 1);
    }
    if (passes > 1) {
        // Each pass adds pixels to every row: only the last completes one.
        reader->interlaced_image = (uint8_t *)malloc(stride * image_height > 0 ? stride * image_height : 1);
        png_bytepp rows = (png_bytepp)malloc(sizeof(png_bytep) * (image_height > 0 ? image_height : 1));
        if (reader->interlaced_image == NULL || rows == NULL) {
            free(rows);
            reader->status = MM_ERR_MEMORY;
            snprintf(reader->state.message, MM_MESSAGE_SIZE, "cannot allocate %zu bytes",
                     stride * image_height);
            png_longjmp(png, 1);
        }
        for (uint32_t row = 0; row < image_height; row++) {
            rows[row] = reader->interlaced_image + stride * row;
        }
        // The row pointers must be freed whether libpng returns or jumps.
        png_bytepp volatile guarded_rows = rows;
        if (setjmp(png_jmpbuf(png))) {
            free(guarded_rows);
            int status = guarded->status != MM_OK ? guarded->status : MM_ERR_CORRUPT;
            snprintf(message, MM_MESSAGE_SIZE, "%s", guarded->state.message);
            mm_png_reader_free(guarded);
            return status;
        }
        png_read_image(png, rows);
        free(rows);
        guarded_rows = NULL;  // png_read_end may still jump to the handler above
        png_read_end(png, NULL);
        reader->finished = 1;
    }
    *width = (int)image_width;
    *height = (int)image_height;
    *channels = reader->channels;
    *result = reader;
    return MM_OK;
}

int mm_png_reader_open(const uint8_t *data, size_t size, uint64_t max_pixels, int always_alpha,
                       mm_png_reader **reader, int *width, int *height, int *channels,
                       char message[MM_MESSAGE_SIZE]) {
    static const uint8_t empty[1] = {0};
    return mm_png_reader_open_source(data != NULL ? data : empty, data != NULL ? size : 0, -1,
                                     max_pixels, always_alpha, reader, width, height, channels,
                                     message);
}

int mm_png_reader_open_file(int descriptor, uint64_t size, uint64_t max_pixels, int always_alpha,
                            mm_png_reader **reader, int *width, int *height, int *channels,
                            char message[MM_MESSAGE_SIZE]) {
    return mm_png_reader_open_source(NULL, (size_t)size, descriptor, max_pixels, always_alpha,
                                     reader, width, height, channels, message);
}

int mm_png_reader_read_rows(mm_png_reader *reader, uint8_t *rows, int count, int *read,
                            char message[MM_MESSAGE_SIZE]) {
    size_t stride = (size_t)reader->width * (size_t)reader->channels;
    volatile int done = 0;
    *read = 0;
    if (reader->status != MM_OK) {
        snprintf(message, MM_MESSAGE_SIZE, "%s", reader->state.message);
        return reader->status;
    }
    if (setjmp(png_jmpbuf(reader->png))) {
        reader->status = MM_ERR_CORRUPT;
        snprintf(message, MM_MESSAGE_SIZE, "%s", reader->state.message);
        *read = done;
        return reader->status;
    }
    while (done < count && reader->next_row < reader->height) {
        uint8_t *target = rows + stride * (size_t)done;
        if (reader->interlaced_image != NULL) {
            memcpy(target, reader->interlaced_image + stride * reader->next_row, stride);
        } else {
            png_read_row(reader->png, target, NULL);
        }
        reader->next_row++;
        done++;
    }
    // With the last row read, the chunks after the image data (and IEND) are checked.
    if (!reader->finished && reader->next_row >= reader->height) {
        png_read_end(reader->png, NULL);
        reader->finished = 1;
    }
    *read = done;
    return MM_OK;
}

size_t mm_png_reader_icc(const mm_png_reader *reader, const uint8_t **profile) {
    *profile = reader->icc;
    return reader->icc_size;
}

void mm_png_reader_close(mm_png_reader *reader) {
    if (reader != NULL) mm_png_reader_free(reader);
}

int mm_png_encode(const uint8_t *pixels, int width, int height, int channels, const uint8_t *icc,
                  size_t icc_size, uint8_t **output, size_t *output_size,
                  char message[MM_MESSAGE_SIZE]) {
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
    // The output grows in memory as libpng writes it through stdio: a memory stream, whose
    // buffer libc allocates and enlarges (free it with free, as mm_free does).
    char *data = NULL;
    size_t data_size = 0;
    FILE *stream = open_memstream(&data, &data_size);
    if (stream == NULL) {
        png_destroy_write_struct(&png, &header);
        snprintf(message, MM_MESSAGE_SIZE, "out of memory");
        return MM_ERR_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        // A failed write to the memory stream can only mean that memory ran out.
        int out_of_memory = ferror(stream);
        snprintf(message, MM_MESSAGE_SIZE, "%s", out_of_memory ? "out of memory" : state.message);
        png_destroy_write_struct(&png, &header);
        fclose(stream);
        free(data);
        return out_of_memory ? MM_ERR_MEMORY : MM_ERR_CORRUPT;
    }
    png_init_io(png, stream);
    png_set_compression_level(png, 6);
    png_set_IHDR(png, header, (png_uint_32)width, (png_uint_32)height, 8,
                 channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (icc != NULL && icc_size > 0 && icc_size <= 0x7FFFFFFF) {
        // A profile libpng finds inconsistent is left out with a warning, not an error.
        png_set_benign_errors(png, 1);
        png_set_iCCP(png, header, "ICC profile", PNG_COMPRESSION_TYPE_BASE, (png_const_bytep)icc,
                     (png_uint_32)icc_size);
    }
    png_write_info(png, header);
    size_t stride = (size_t)width * (size_t)channels;
    for (int y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)(pixels + stride * (size_t)y));
    }
    png_write_end(png, header);
    png_destroy_write_struct(&png, &header);
    if (fclose(stream) != 0) {
        free(data);
        snprintf(message, MM_MESSAGE_SIZE, "out of memory");
        return MM_ERR_MEMORY;
    }
    *output = (uint8_t *)data;
    *output_size = data_size;
    return MM_OK;
}
