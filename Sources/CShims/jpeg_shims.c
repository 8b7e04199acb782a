#include "CShims.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int mm_jpeg_read_info(const uint8_t *data, size_t size, mm_jpeg_info *info,
                      char message[MM_MESSAGE_SIZE]) {
    struct jpeg_decompress_struct cinfo;
    mm_jpeg_error error;
    mm_jpeg_error_init(&error);
    cinfo.err = &error.base;
    if (setjmp(error.jump)) {
        mm_set_message(message, error.message);
        jpeg_destroy_decompress(&cinfo);
        return error.status;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    info->width = (int)cinfo.image_width;
    info->height = (int)cinfo.image_height;
    info->components = cinfo.num_components;
    info->color_space = (int)cinfo.jpeg_color_space;
    info->progressive = cinfo.progressive_mode ? 1 : 0;
    info->data_precision = cinfo.data_precision;
    info->adobe_transform = cinfo.saw_Adobe_marker ? cinfo.Adobe_transform : -1;
    jpeg_destroy_decompress(&cinfo);
    return MM_OK;
}

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

int mm_jpeg_scan_needs(const uint8_t *data, size_t size, int scale_denom,
                       mm_jpeg_scan_needs_t *needs, char message[MM_MESSAGE_SIZE]) {
    struct jpeg_decompress_struct cinfo;
    mm_jpeg_error error;
    mm_jpeg_error_init(&error);
    cinfo.err = &error.base;
    memset(needs, 0, sizeof(*needs));
    if (setjmp(error.jump)) {
        mm_set_message(message, error.message);
        jpeg_destroy_decompress(&cinfo);
        return error.status;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    mm_jpeg_configure_output(&cinfo, scale_denom);
    needs->progressive = cinfo.progressive_mode ? 1 : 0;
    if (cinfo.num_components <= MM_JPEG_MAX_COMPONENTS) {
        needs->count = cinfo.num_components;
        for (int index = 0; index < cinfo.num_components; index++) {
            jpeg_component_info *component = &cinfo.comp_info[index];
            needs->ids[index] = component->component_id;
            // A 1x1 inverse DCT reads the DC coefficient alone; every larger one reads ACs.
            needs->needs_ac[index] = component->DCT_scaled_size > 1 ? 1 : 0;
        }
    }
    jpeg_destroy_decompress(&cinfo);
    return MM_OK;
}

int mm_jpeg_decode(const uint8_t *data, size_t size, int scale_denom, int block_smoothing,
                   uint64_t max_pixels, uint8_t **pixels, int *width, int *height, int *channels,
                   char message[MM_MESSAGE_SIZE]) {
    struct jpeg_decompress_struct cinfo;
    mm_jpeg_error error;
    uint8_t *volatile output = NULL;
    JSAMPLE *volatile row = NULL;
    mm_jpeg_error_init(&error);
    cinfo.err = &error.base;
    *pixels = NULL;
    if (setjmp(error.jump)) {
        mm_set_message(message, error.message);
        free(output);
        free(row);
        jpeg_destroy_decompress(&cinfo);
        return error.status;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);

    if (!mm_jpeg_precision_supported(cinfo.data_precision)) {
        error.status = MM_ERR_UNSUPPORTED;
        snprintf(error.message, MM_MESSAGE_SIZE, "%d-bit JPEG is not supported",
                 cinfo.data_precision);
        longjmp(error.jump, 1);
    }
    int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    int gray = cinfo.jpeg_color_space == JCS_GRAYSCALE;
    int inverted = cinfo.saw_Adobe_marker;
    mm_jpeg_configure_output(&cinfo, scale_denom);
    cinfo.do_block_smoothing = block_smoothing ? TRUE : FALSE;
    /* The budget counts what is held in memory: a sequential JPEG is decoded row by row at the
       DCT-scaled size; a progressive (multi-scan) one keeps coefficients for the whole image. */
    uint64_t held = jpeg_has_multiple_scans(&cinfo)
                        ? (uint64_t)cinfo.image_width * (uint64_t)cinfo.image_height
                        : (uint64_t)cinfo.output_width * (uint64_t)cinfo.output_height;
    if (max_pixels > 0 && held > max_pixels) {
        error.status = MM_ERR_TOO_LARGE;
        snprintf(error.message, MM_MESSAGE_SIZE,
                 "%ux%u (%s) is over the pixel budget of %llu", cinfo.image_width,
                 cinfo.image_height,
                 jpeg_has_multiple_scans(&cinfo) ? "progressive: decoded whole" : "at the decoded scale",
                 (unsigned long long)max_pixels);
        longjmp(error.jump, 1);
    }

    int out_channels = gray ? 1 : 3;
    size_t stride = (size_t)cinfo.output_width * (size_t)out_channels;
    size_t total = stride * (size_t)cinfo.output_height;
    output = (uint8_t *)malloc(total > 0 ? total : 1);
    if (output == NULL) {
        error.status = MM_ERR_MEMORY;
        snprintf(error.message, MM_MESSAGE_SIZE, "cannot allocate %zu bytes", total);
        longjmp(error.jump, 1);
    }
    if (cmyk) {
        row = (JSAMPLE *)malloc((size_t)cinfo.output_width * 4);
        if (row == NULL) {
            error.status = MM_ERR_MEMORY;
            snprintf(error.message, MM_MESSAGE_SIZE, "cannot allocate a row");
            longjmp(error.jump, 1);
        }
    }

    jpeg_start_decompress(&cinfo);
    while (cinfo.output_scanline < cinfo.output_height) {
        uint8_t *target = output + stride * cinfo.output_scanline;
        if (cmyk) {
            JSAMPROW rows[1] = {row};
            jpeg_read_scanlines(&cinfo, rows, 1);
            mm_cmyk_row_to_rgb(row, target, cinfo.output_width, inverted);
        } else {
            JSAMPROW rows[1] = {target};
            jpeg_read_scanlines(&cinfo, rows, 1);
        }
    }
    jpeg_finish_decompress(&cinfo);

    *pixels = output;
    *width = (int)cinfo.output_width;
    *height = (int)cinfo.output_height;
    *channels = out_channels;
    free(row);
    jpeg_destroy_decompress(&cinfo);
    return MM_OK;
}

int mm_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                   int progressive, uint8_t **output, size_t *output_size,
                   char message[MM_MESSAGE_SIZE]) {
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
