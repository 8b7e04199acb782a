#include "CCodecShims.h"
#include "codec_internal.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include <jpeglib.h>
#include <jerror.h>

// One error manager per codec call. libjpeg calls error_exit on fatal errors; it must not
// return, so it longjmps back to the setjmp in the function that started the call.
typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    int status;
    char message[MM_MESSAGE_SIZE];
} mm_jpeg_error;

static void mm_jpeg_error_exit(j_common_ptr cinfo) {
    mm_jpeg_error *error = (mm_jpeg_error *)cinfo->err;
    if (error->status == MM_OK) error->status = MM_ERR_CORRUPT;
    if (error->message[0] == '\0') (*cinfo->err->format_message)(cinfo, error->message);
    longjmp(error->jump, 1);
}

// Warnings that do not damage pixels: stray bytes between markers and odd APP markers are
// common in real files and every viewer shows them.
static int mm_jpeg_warning_is_benign(int code) {
    switch (code) {
    case JWRN_EXTRANEOUS_DATA:
    case JWRN_JFIF_MAJOR:
    case JWRN_ADOBE_XFORM:
    case JWRN_BOGUS_ICC:  // a broken colour profile is dropped, the pixels are fine
        return 1;
    default:
        return 0;
    }
}

// libjpeg treats a truncated or corrupt entropy stream as a warning and fills the rest of the
// image with grey. A thumbnail of half a picture is a fake file, so such warnings are fatal.
static void mm_jpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;  // trace messages
    if (mm_jpeg_warning_is_benign(cinfo->err->msg_code)) {
        cinfo->err->num_warnings++;
        return;
    }
    mm_jpeg_error *error = (mm_jpeg_error *)cinfo->err;
    error->status = MM_ERR_CORRUPT;
    (*cinfo->err->format_message)(cinfo, error->message);
    longjmp(error->jump, 1);
}

static void mm_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void mm_jpeg_error_init(mm_jpeg_error *error) {
    memset(error, 0, sizeof(*error));
    jpeg_std_error(&error->base);
    error->base.error_exit = mm_jpeg_error_exit;
    error->base.emit_message = mm_jpeg_emit_message;
    error->base.output_message = mm_jpeg_output_message;
}

static void mm_set_message(char message[MM_MESSAGE_SIZE], const char *text) {
    if (message == NULL) return;
    snprintf(message, MM_MESSAGE_SIZE, "%s", text);
}

static int mm_jpeg_precision_supported(int precision) { return precision == 8; }

// CMYK from Adobe applications is stored inverted (0 = full ink). libjpeg hands the values back
// as stored; converting needs to know which convention the file uses.
static void mm_cmyk_row_to_rgb(const JSAMPLE *cmyk, uint8_t *rgb, JDIMENSION width, int inverted) {
    for (JDIMENSION x = 0; x < width; x++) {
        unsigned c = cmyk[4 * x], m = cmyk[4 * x + 1], y = cmyk[4 * x + 2], k = cmyk[4 * x + 3];
        if (!inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        rgb[3 * x] = (uint8_t)((c * k + 127) / 255);
        rgb[3 * x + 1] = (uint8_t)((m * k + 127) / 255);
        rgb[3 * x + 2] = (uint8_t)((y * k + 127) / 255);
    }
}

// The output settings of every decode. mm_jpeg_scan_needs must see exactly what the decode
// will do, so both go through here.
static void mm_jpeg_configure_output(j_decompress_ptr cinfo, int scale_denom) {
    if (cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK) {
        cinfo->out_color_space = JCS_CMYK;
    } else if (cinfo->jpeg_color_space == JCS_GRAYSCALE) {
        cinfo->out_color_space = JCS_GRAYSCALE;
    } else {
        cinfo->out_color_space = JCS_RGB;
    }
    cinfo->scale_num = 1;
    cinfo->scale_denom = (unsigned)(scale_denom == 2 || scale_denom == 4 || scale_denom == 8
                                        ? scale_denom
                                        : 1);
    cinfo->dct_method = JDCT_ISLOW;
    cinfo->do_fancy_upsampling = TRUE;
    jpeg_calc_output_dimensions(cinfo);
}

static void mm_jpeg_file_src(j_decompress_ptr cinfo, int descriptor);

// What libjpeg's header read says of a file and of a decode at 1/`scale_denom`: the one place
// both mm_jpeg_scan_needs and mm_jpeg_reduce learn which inverse DCT each component gets.
typedef struct {
    int progressive;
    int arithmetic;
    int precision;
    int count;  // components in the frame; only the first MM_JPEG_MAX_COMPONENTS are described
    int ids[MM_JPEG_MAX_COMPONENTS];
    int scaled_size[MM_JPEG_MAX_COMPONENTS];  // DCT_scaled_size: 1, 2, 4 or 8
    uint64_t output_pixels;
} mm_jpeg_plan;

// From `data` when it is not NULL, else from the file at `descriptor`.
static int mm_jpeg_read_plan(const uint8_t *data, size_t size, int descriptor, int scale_denom,
                             mm_jpeg_plan *plan, char message[MM_MESSAGE_SIZE]) {
    struct jpeg_decompress_struct cinfo;
    mm_jpeg_error error;
    mm_jpeg_error_init(&error);
    cinfo.err = &error.base;
    memset(plan, 0, sizeof(*plan));
    if (setjmp(error.jump)) {
        mm_set_message(message, error.message);
        jpeg_destroy_decompress(&cinfo);
        return error.status;
    }
    jpeg_create_decompress(&cinfo);
    if (data != NULL) {
        jpeg_mem_src(&cinfo, data, (unsigned long)size);
    } else {
        mm_jpeg_file_src(&cinfo, descriptor);
    }
    jpeg_read_header(&cinfo, TRUE);
    mm_jpeg_configure_output(&cinfo, scale_denom);
    plan->progressive = cinfo.progressive_mode ? 1 : 0;
    plan->arithmetic = cinfo.arith_code ? 1 : 0;
    plan->precision = cinfo.data_precision;
    plan->count = cinfo.num_components;
    for (int index = 0; index < cinfo.num_components && index < MM_JPEG_MAX_COMPONENTS; index++) {
        plan->ids[index] = cinfo.comp_info[index].component_id;
        plan->scaled_size[index] = cinfo.comp_info[index].DCT_scaled_size;
    }
    plan->output_pixels = (uint64_t)cinfo.output_width * (uint64_t)cinfo.output_height;
    jpeg_destroy_decompress(&cinfo);
    return MM_OK;
}

int mm_jpeg_scan_needs(const uint8_t *data, size_t size, int scale_denom,
                       mm_jpeg_scan_needs_t *needs, char message[MM_MESSAGE_SIZE]) {
    memset(needs, 0, sizeof(*needs));
    mm_jpeg_plan plan;
    int status = mm_jpeg_read_plan(data, size, -1, scale_denom, &plan, message);
    if (status != MM_OK) return status;
    needs->progressive = plan.progressive;
    if (plan.count <= MM_JPEG_MAX_COMPONENTS) {
        needs->count = plan.count;
        for (int index = 0; index < plan.count; index++) {
            needs->ids[index] = plan.ids[index];
            // A 1x1 inverse DCT reads the DC coefficient alone; every larger one reads ACs.
            needs->needs_ac[index] = plan.scaled_size[index] > 1 ? 1 : 0;
        }
    }
    return MM_OK;
}


// What mm_jpeg_reduce_open needs from libjpeg itself: the inverse DCT each component gets at
// this scale, and a bound on the blocks held. MM_ERR_UNSUPPORTED for anything but a progressive
// Huffman-coded 8-bit file.
// What mm_jpeg_reduce_open needs: the inverse DCT each component gets at this scale, and a
// bound on the blocks held. MM_ERR_UNSUPPORTED for anything but a progressive Huffman-coded
// 8-bit file.
static int mm_jpeg_reduce_plan(const uint8_t *data, size_t size, int descriptor, int scale_denom,
                               uint64_t max_pixels, int scaled_size[MM_JPEG_MAX_COMPONENTS],
                               uint64_t *max_blocks, char message[MM_MESSAGE_SIZE]) {
    mm_jpeg_plan plan;
    int status = mm_jpeg_read_plan(data, size, descriptor, scale_denom, &plan, message);
    if (status != MM_OK) return status;
    if (!plan.progressive || plan.arithmetic || plan.precision != 8 || plan.count > MM_JPEG_MAX_COMPONENTS) {
        mm_set_message(message, "not a progressive Huffman-coded 8-bit JPEG");
        return MM_ERR_UNSUPPORTED;
    }
    for (int index = 0; index < MM_JPEG_MAX_COMPONENTS; index++) {
        scaled_size[index] = index < plan.count ? plan.scaled_size[index] : 8;
    }
    if (max_pixels > 0 && plan.output_pixels > max_pixels) {
        snprintf(message, MM_MESSAGE_SIZE, "over the pixel budget of %llu at the decoded scale",
                 (unsigned long long)max_pixels);
        return MM_ERR_TOO_LARGE;
    }
    // What is held is a few bytes per 8x8 block: up to four blocks per output pixel at 1/8.
    uint64_t denominator = scale_denom == 2 || scale_denom == 4 || scale_denom == 8 ? (uint64_t)scale_denom : 1;
    *max_blocks = max_pixels > 0 ? max_pixels * 4 * denominator * denominator / 64 + 64 : 0;
    return MM_OK;
}

int mm_jpeg_reduce(const uint8_t *data, size_t size, int descriptor, int scale_denom, uint64_t max_pixels,
                   uint8_t **output, size_t *output_size, char message[MM_MESSAGE_SIZE]) {
    *output = NULL;
    *output_size = 0;
    int scaled_size[MM_JPEG_MAX_COMPONENTS];
    uint64_t max_blocks = 0;
    int status = mm_jpeg_reduce_plan(data, size, descriptor, scale_denom, max_pixels, scaled_size, &max_blocks,
                                     message);
    if (status != MM_OK) return status;
    return mm_jpeg_reduce_scans(data, size, data != NULL ? -1 : descriptor, scaled_size, max_blocks, output,
                                output_size, message);
}

struct mm_jpeg_reader {
    struct jpeg_decompress_struct cinfo;
    mm_jpeg_error error;
    mm_reduce *reduce;  // the source of a reader opened by mm_jpeg_reader_open_reduced
    int cmyk;
    int inverted;
    int channels;
    int finished;
    JSAMPLE *cmyk_row;
    JOCTET *icc;
    unsigned int icc_size;
};

static void mm_jpeg_reader_free(mm_jpeg_reader *reader) {
    jpeg_destroy_decompress(&reader->cinfo);
    mm_jpeg_reduce_close(reader->reduce);
    free(reader->cmyk_row);
    free(reader->icc);
    free(reader);
}

// A source that reads the file through pread into a small buffer, so the compressed file is
// never held whole (jpeg_stdio_src would do the same with a FILE, which the caller does not have).
#define MM_FILE_BUFFER_SIZE 65536

typedef struct {
    struct jpeg_source_mgr base;
    int descriptor;
    off_t offset;
    JOCTET *buffer;
} mm_jpeg_file_source;

static void mm_jpeg_file_init(j_decompress_ptr cinfo) { (void)cinfo; }

static boolean mm_jpeg_file_fill(j_decompress_ptr cinfo) {
    mm_jpeg_file_source *source = (mm_jpeg_file_source *)cinfo->src;
    ssize_t count;
    do {
        count = pread(source->descriptor, source->buffer, MM_FILE_BUFFER_SIZE, source->offset);
    } while (count < 0 && errno == EINTR);
    if (count <= 0) {
        // As jpeg_mem_src does at the end of its data: warn (fatal here) and end the image.
        WARNMS(cinfo, JWRN_JPEG_EOF);
        source->buffer[0] = (JOCTET)0xFF;
        source->buffer[1] = (JOCTET)JPEG_EOI;
        count = 2;
    } else {
        source->offset += count;
    }
    source->base.next_input_byte = source->buffer;
    source->base.bytes_in_buffer = (size_t)count;
    return TRUE;
}

static void mm_jpeg_file_skip(j_decompress_ptr cinfo, long count) {
    mm_jpeg_file_source *source = (mm_jpeg_file_source *)cinfo->src;
    if (count <= 0) return;
    if ((size_t)count <= source->base.bytes_in_buffer) {
        source->base.next_input_byte += count;
        source->base.bytes_in_buffer -= (size_t)count;
    } else {
        source->offset += (off_t)((size_t)count - source->base.bytes_in_buffer);
        source->base.bytes_in_buffer = 0;
    }
}

static void mm_jpeg_file_term(j_decompress_ptr cinfo) { (void)cinfo; }

// A source of ours, empty until its first fill, as libjpeg's current source.
static void mm_jpeg_install_source(j_decompress_ptr cinfo, struct jpeg_source_mgr *base,
                                   boolean (*fill)(j_decompress_ptr), void (*skip)(j_decompress_ptr, long)) {
    base->init_source = mm_jpeg_file_init;
    base->fill_input_buffer = fill;
    base->skip_input_data = skip;
    base->resync_to_restart = jpeg_resync_to_restart;
    base->term_source = mm_jpeg_file_term;
    base->bytes_in_buffer = 0;
    base->next_input_byte = NULL;
    cinfo->src = base;
}

static void mm_jpeg_file_src(j_decompress_ptr cinfo, int descriptor) {
    mm_jpeg_file_source *source = (mm_jpeg_file_source *)(*cinfo->mem->alloc_small)(
        (j_common_ptr)cinfo, JPOOL_PERMANENT, sizeof(mm_jpeg_file_source));
    source->buffer = (JOCTET *)(*cinfo->mem->alloc_small)((j_common_ptr)cinfo, JPOOL_PERMANENT,
                                                          MM_FILE_BUFFER_SIZE);
    source->descriptor = descriptor;
    source->offset = 0;
    mm_jpeg_install_source(cinfo, &source->base, mm_jpeg_file_fill, mm_jpeg_file_skip);
}

// A source handing libjpeg the sequential stream mm_jpeg_reduce_next writes, a chunk at a time.
typedef struct {
    struct jpeg_source_mgr base;
    mm_reduce *reduce;
} mm_jpeg_reduced_source;

static boolean mm_jpeg_reduced_fill(j_decompress_ptr cinfo) {
    mm_jpeg_reduced_source *source = (mm_jpeg_reduced_source *)cinfo->src;
    const uint8_t *chunk = NULL;
    size_t size = 0;
    int next = mm_jpeg_reduce_next(source->reduce, &chunk, &size);
    if (next < 0) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 0);
    if (next == 0) {
        // Past the EOI the stream ends with: as jpeg_mem_src does at the end of its data.
        static const JOCTET end[2] = {0xFF, JPEG_EOI};
        WARNMS(cinfo, JWRN_JPEG_EOF);
        chunk = end;
        size = 2;
    }
    source->base.next_input_byte = chunk;
    source->base.bytes_in_buffer = size;
    return TRUE;
}

static void mm_jpeg_reduced_skip(j_decompress_ptr cinfo, long count) {
    struct jpeg_source_mgr *source = cinfo->src;
    while (count > 0) {
        if (source->bytes_in_buffer == 0) (void)source->fill_input_buffer(cinfo);
        size_t step = (size_t)count < source->bytes_in_buffer ? (size_t)count : source->bytes_in_buffer;
        source->next_input_byte += step;
        source->bytes_in_buffer -= step;
        count -= (long)step;
    }
}

static void mm_jpeg_reduced_src(j_decompress_ptr cinfo, mm_reduce *reduce) {
    mm_jpeg_reduced_source *source = (mm_jpeg_reduced_source *)(*cinfo->mem->alloc_small)(
        (j_common_ptr)cinfo, JPOOL_PERMANENT, sizeof(mm_jpeg_reduced_source));
    source->reduce = reduce;
    mm_jpeg_install_source(cinfo, &source->base, mm_jpeg_reduced_fill, mm_jpeg_reduced_skip);
}

// Reads from `reduce` when it is not NULL (the reader then owns it), else from `data` when it
// is not NULL, else from `descriptor`.
static int mm_jpeg_reader_open_source(mm_reduce *reduce, const uint8_t *data, size_t size, int descriptor,
                                      int scale_denom, int block_smoothing, uint64_t max_pixels,
                                      mm_jpeg_reader **result, int *width, int *height,
                                      int *channels, char message[MM_MESSAGE_SIZE]) {
    *result = NULL;
    mm_jpeg_reader *reader = (mm_jpeg_reader *)calloc(1, sizeof(mm_jpeg_reader));
    if (reader == NULL) {
        mm_jpeg_reduce_close(reduce);
        mm_set_message(message, "cannot allocate a JPEG reader");
        return MM_ERR_MEMORY;
    }
    reader->reduce = reduce;
    // Volatile: read again after setjmp returns a second time.
    mm_jpeg_reader *volatile guarded = reader;
    mm_jpeg_error_init(&reader->error);
    reader->cinfo.err = &reader->error.base;
    if (setjmp(reader->error.jump)) {
        mm_set_message(message, guarded->error.message);
        int status = guarded->error.status;
        mm_jpeg_reader_free(guarded);
        return status;
    }
    jpeg_create_decompress(&reader->cinfo);
    if (reduce != NULL) {
        mm_jpeg_reduced_src(&reader->cinfo, reduce);
    } else if (data != NULL) {
        jpeg_mem_src(&reader->cinfo, data, (unsigned long)size);
    } else {
        mm_jpeg_file_src(&reader->cinfo, descriptor);
    }
    // APP2 holds the ICC profile, which the thumbnail keeps.
    jpeg_save_markers(&reader->cinfo, JPEG_APP0 + 2, 0xFFFF);
    jpeg_read_header(&reader->cinfo, TRUE);
    j_decompress_ptr cinfo = &reader->cinfo;
    JOCTET *icc = NULL;
    unsigned int icc_size = 0;
    if (jpeg_read_icc_profile(cinfo, &icc, &icc_size)) {
        reader->icc = icc;
        reader->icc_size = icc_size;
    }

    if (!mm_jpeg_precision_supported(cinfo->data_precision)) {
        reader->error.status = MM_ERR_UNSUPPORTED;
        snprintf(reader->error.message, MM_MESSAGE_SIZE, "%d-bit JPEG is not supported",
                 cinfo->data_precision);
        longjmp(reader->error.jump, 1);
    }
    reader->cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
    reader->inverted = cinfo->saw_Adobe_marker;
    reader->channels = cinfo->jpeg_color_space == JCS_GRAYSCALE ? 1 : 3;
    mm_jpeg_configure_output(cinfo, scale_denom);
    cinfo->do_block_smoothing = block_smoothing ? TRUE : FALSE;
    /* The budget counts what is held in memory: a sequential JPEG is decoded row by row at the
       DCT-scaled size; a progressive (multi-scan) one keeps coefficients for the whole image. */
    uint64_t held = jpeg_has_multiple_scans(cinfo)
                        ? (uint64_t)cinfo->image_width * (uint64_t)cinfo->image_height
                        : (uint64_t)cinfo->output_width * (uint64_t)cinfo->output_height;
    if (max_pixels > 0 && held > max_pixels) {
        reader->error.status = MM_ERR_TOO_LARGE;
        snprintf(reader->error.message, MM_MESSAGE_SIZE,
                 "%ux%u (%s) is over the pixel budget of %llu", cinfo->image_width,
                 cinfo->image_height,
                 jpeg_has_multiple_scans(cinfo) ? "progressive: decoded whole" : "at the decoded scale",
                 (unsigned long long)max_pixels);
        longjmp(reader->error.jump, 1);
    }
    if (reader->cmyk) {
        reader->cmyk_row = (JSAMPLE *)malloc((size_t)cinfo->output_width * 4);
        if (reader->cmyk_row == NULL) {
            reader->error.status = MM_ERR_MEMORY;
            snprintf(reader->error.message, MM_MESSAGE_SIZE, "cannot allocate a row");
            longjmp(reader->error.jump, 1);
        }
    }
    jpeg_start_decompress(cinfo);
    *width = (int)cinfo->output_width;
    *height = (int)cinfo->output_height;
    *channels = reader->channels;
    *result = reader;
    return MM_OK;
}

int mm_jpeg_reader_open(const uint8_t *data, size_t size, int scale_denom, int block_smoothing,
                        uint64_t max_pixels, mm_jpeg_reader **reader, int *width, int *height,
                        int *channels, char message[MM_MESSAGE_SIZE]) {
    static const uint8_t empty[1] = {0};
    return mm_jpeg_reader_open_source(NULL, data != NULL ? data : empty, data != NULL ? size : 0, -1,
                                      scale_denom, block_smoothing, max_pixels, reader, width,
                                      height, channels, message);
}

int mm_jpeg_reader_open_file(int descriptor, int scale_denom, int block_smoothing,
                             uint64_t max_pixels, mm_jpeg_reader **reader, int *width,
                             int *height, int *channels, char message[MM_MESSAGE_SIZE]) {
    return mm_jpeg_reader_open_source(NULL, NULL, 0, descriptor, scale_denom, block_smoothing,
                                      max_pixels, reader, width, height, channels, message);
}

int mm_jpeg_reader_open_reduced(const uint8_t *data, size_t size, int descriptor, int scale_denom,
                                uint64_t max_pixels, mm_jpeg_reader **reader, int *width, int *height,
                                int *channels, char message[MM_MESSAGE_SIZE]) {
    *reader = NULL;
    int scaled_size[MM_JPEG_MAX_COMPONENTS];
    uint64_t max_blocks = 0;
    int status = mm_jpeg_reduce_plan(data, size, descriptor, scale_denom, max_pixels, scaled_size, &max_blocks,
                                     message);
    if (status != MM_OK) return status;
    mm_reduce *reduce = mm_jpeg_reduce_open(data, size, data != NULL ? -1 : descriptor, scaled_size, max_blocks,
                                            &status, message);
    if (reduce == NULL) return status;
    // The sequential stream: block smoothing never applies (and the rewrite refused files where
    // the original's decode would have used it).
    return mm_jpeg_reader_open_source(reduce, NULL, 0, -1, scale_denom, 0, max_pixels, reader, width, height,
                                      channels, message);
}

int mm_jpeg_reader_read_rows(mm_jpeg_reader *reader, uint8_t *rows, int count, int *read,
                             char message[MM_MESSAGE_SIZE]) {
    j_decompress_ptr cinfo = &reader->cinfo;
    size_t stride = (size_t)cinfo->output_width * (size_t)reader->channels;
    // Volatile: the count reached is reported even when libjpeg jumps out midway.
    volatile int done = 0;
    *read = 0;
    if (reader->error.status != MM_OK) {
        mm_set_message(message, reader->error.message);
        return reader->error.status;
    }
    if (setjmp(reader->error.jump)) {
        mm_set_message(message, reader->error.message);
        *read = done;
        return reader->error.status;
    }
    while (done < count && cinfo->output_scanline < cinfo->output_height) {
        uint8_t *target = rows + stride * (size_t)done;
        if (reader->cmyk) {
            JSAMPROW row[1] = {reader->cmyk_row};
            if (jpeg_read_scanlines(cinfo, row, 1) != 1) break;
            mm_cmyk_row_to_rgb(reader->cmyk_row, target, cinfo->output_width, reader->inverted);
        } else {
            JSAMPROW row[1] = {target};
            if (jpeg_read_scanlines(cinfo, row, 1) != 1) break;
        }
        done++;
    }
    // With the last row read, libjpeg checks what follows it (and warns, fatally for us, about
    // a truncated or corrupt tail).
    if (!reader->finished && cinfo->output_scanline >= cinfo->output_height) {
        jpeg_finish_decompress(cinfo);
        reader->finished = 1;
    }
    *read = done;
    return MM_OK;
}

size_t mm_jpeg_reader_icc(const mm_jpeg_reader *reader, const uint8_t **profile) {
    *profile = reader->icc;
    return reader->icc != NULL ? (size_t)reader->icc_size : 0;
}

void mm_jpeg_reader_close(mm_jpeg_reader *reader) {
    if (reader != NULL) mm_jpeg_reader_free(reader);
}

int mm_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                   int progressive, const uint8_t *icc, size_t icc_size, uint8_t **output,
                   size_t *output_size, char message[MM_MESSAGE_SIZE]) {
    struct jpeg_compress_struct cinfo;
    mm_jpeg_error error;
    // Written by libjpeg through its address, so it is in memory when setjmp returns again.
    unsigned char *target = NULL;
    unsigned long buffer_size = 0;
    mm_jpeg_error_init(&error);
    cinfo.err = &error.base;
    *output = NULL;
    *output_size = 0;
    if (setjmp(error.jump)) {
        mm_set_message(message, error.message);
        jpeg_destroy_compress(&cinfo);
        free(target);
        return error.status;
    }
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3)) {
        mm_set_message(message, "invalid image geometry for JPEG encoding");
        return MM_ERR_UNSUPPORTED;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, &target, &buffer_size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality < 1 ? 1 : (quality > 100 ? 100 : quality), TRUE);
    cinfo.optimize_coding = TRUE;
    cinfo.dct_method = JDCT_ISLOW;
    if (channels == 3) {
        // 4:2:0
        cinfo.comp_info[0].h_samp_factor = 2;
        cinfo.comp_info[0].v_samp_factor = 2;
        cinfo.comp_info[1].h_samp_factor = 1;
        cinfo.comp_info[1].v_samp_factor = 1;
        cinfo.comp_info[2].h_samp_factor = 1;
        cinfo.comp_info[2].v_samp_factor = 1;
    }
    if (progressive) jpeg_simple_progression(&cinfo);
    cinfo.write_JFIF_header = TRUE;
    jpeg_start_compress(&cinfo, TRUE);
    if (icc != NULL && icc_size > 0 && icc_size <= 16 * 1024 * 1024) {
        jpeg_write_icc_profile(&cinfo, icc, (unsigned int)icc_size);
    }
    size_t stride = (size_t)width * (size_t)channels;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW rows[1] = {(JSAMPROW)(pixels + stride * cinfo.next_scanline)};
        jpeg_write_scanlines(&cinfo, rows, 1);
    }
    jpeg_finish_compress(&cinfo);
    *output = target;
    *output_size = (size_t)buffer_size;
    jpeg_destroy_compress(&cinfo);
    return MM_OK;
}

void mm_free(void *pointer) { free(pointer); }
