#include "CCodecShims.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <webp/decode.h>
#include <webp/demux.h>
#include <webp/encode.h>
#include <webp/mux.h>

#include "codec_internal.h"

static int mm_webp_status(VP8StatusCode status, char message[MM_MESSAGE_SIZE]) {
    switch (status) {
    case VP8_STATUS_OK:
        return MM_OK;
    case VP8_STATUS_OUT_OF_MEMORY:
        snprintf(message, MM_MESSAGE_SIZE, "out of memory decoding WebP");
        return MM_ERR_MEMORY;
    case VP8_STATUS_UNSUPPORTED_FEATURE:
        snprintf(message, MM_MESSAGE_SIZE, "unsupported WebP feature");
        return MM_ERR_UNSUPPORTED;
    case VP8_STATUS_NOT_ENOUGH_DATA:
        snprintf(message, MM_MESSAGE_SIZE, "truncated WebP data");
        return MM_ERR_CORRUPT;
    default:
        snprintf(message, MM_MESSAGE_SIZE, "corrupt WebP data (status %d)", (int)status);
        return MM_ERR_CORRUPT;
    }
}

// The first frame of an animation, composited on its canvas (transparent where it does not
// cover) as WebPAnimDecoder renders it: the frame decoder, stopped after one frame.
typedef struct {
    uint8_t *pixels;
    int width;
    int height;
} mm_first_frame;

static int mm_keep_first_frame(const uint8_t *rgba, int width, int height, int duration, void *context) {
    (void)duration;
    mm_first_frame *first = (mm_first_frame *)context;
    first->pixels = malloc((size_t)width * height * 4);
    if (first->pixels != NULL) memcpy(first->pixels, rgba, (size_t)width * height * 4);
    first->width = width;
    first->height = height;
    return 1;
}

static int mm_webp_decode_animated(const uint8_t *data, size_t size, uint64_t max_pixels, uint8_t **pixels,
                                   int *width, int *height, char message[MM_MESSAGE_SIZE]) {
    mm_anim_limits limits = {max_pixels, INT_MAX, UINT64_MAX};
    mm_first_frame first = {NULL, 0, 0};
    int status = mm_webp_frames(data, size, &limits, mm_keep_first_frame, &first, message);
    if (first.pixels == NULL) {
        if (first.width > 0) {
            snprintf(message, MM_MESSAGE_SIZE, "out of memory");
            return MM_ERR_MEMORY;
        }
        return status == MM_OK ? MM_ERR_CORRUPT : status;
    }
    message[0] = 0;
    *pixels = first.pixels;
    *width = first.width;
    *height = first.height;
    return MM_OK;
}

int mm_webp_decode(const uint8_t *data, size_t size, int min_width, uint64_t max_pixels,
                   uint8_t **pixels, int *width, int *height, int *channels,
                   char message[MM_MESSAGE_SIZE]) {
    *pixels = NULL;
    message[0] = 0;
    WebPBitstreamFeatures features;
    VP8StatusCode status = WebPGetFeatures(data, size, &features);
    if (status != VP8_STATUS_OK) return mm_webp_status(status, message);
    if (features.width <= 0 || features.height <= 0) {
        snprintf(message, MM_MESSAGE_SIZE, "WebP of %dx%d pixels", features.width, features.height);
        return MM_ERR_CORRUPT;
    }
    if ((uint64_t)features.width * (uint64_t)features.height > max_pixels) {
        snprintf(message, MM_MESSAGE_SIZE, "%dx%d is over the pixel budget of %llu", features.width,
                 features.height, (unsigned long long)max_pixels);
        return MM_ERR_TOO_LARGE;
    }
    if (features.has_animation) {
        *channels = 4;
        return mm_webp_decode_animated(data, size, max_pixels, pixels, width, height, message);
    }
    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config)) {
        snprintf(message, MM_MESSAGE_SIZE, "libwebp version mismatch");
        return MM_ERR_UNSUPPORTED;
    }
    int out_width = features.width;
    int out_height = features.height;
    // libwebp scales while decoding (area-averaging): a large WebP is never held at full size.
    if (min_width > 0 && min_width < features.width) {
        out_width = min_width;
        out_height = (int)(((int64_t)features.height * min_width + features.width / 2) / features.width);
        if (out_height < 1) out_height = 1;
        config.options.use_scaling = 1;
        config.options.scaled_width = out_width;
        config.options.scaled_height = out_height;
    }
    int out_channels = features.has_alpha ? 4 : 3;
    size_t stride = (size_t)out_width * out_channels;
    uint8_t *buffer = malloc(stride * out_height);
    if (buffer == NULL) {
        snprintf(message, MM_MESSAGE_SIZE, "out of memory");
        return MM_ERR_MEMORY;
    }
    config.output.colorspace = features.has_alpha ? MODE_RGBA : MODE_RGB;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = buffer;
    config.output.u.RGBA.stride = (int)stride;
    config.output.u.RGBA.size = stride * out_height;
    status = WebPDecode(data, size, &config);
    WebPFreeDecBuffer(&config.output);
    if (status != VP8_STATUS_OK) {
        free(buffer);
        return mm_webp_status(status, message);
    }
    *pixels = buffer;
    *width = out_width;
    *height = out_height;
    *channels = out_channels;
    return MM_OK;
}

// The encoded image with an ICCP chunk (VP8X container) when a profile is given.
static int mm_webp_with_profile(WebPMemoryWriter *writer, const uint8_t *icc, size_t icc_size,
                                uint8_t **output, size_t *output_size, char message[MM_MESSAGE_SIZE]) {
    WebPMux *mux = WebPMuxNew();
    if (mux == NULL) {
        snprintf(message, MM_MESSAGE_SIZE, "out of memory");
        return MM_ERR_MEMORY;
    }
    WebPData image = {writer->mem, writer->size};
    WebPData profile = {icc, icc_size};
    WebPData assembled = {NULL, 0};
    int status = MM_OK;
    if (WebPMuxSetImage(mux, &image, 0) != WEBP_MUX_OK || WebPMuxSetChunk(mux, "ICCP", &profile, 0) != WEBP_MUX_OK ||
        WebPMuxAssemble(mux, &assembled) != WEBP_MUX_OK) {
        snprintf(message, MM_MESSAGE_SIZE, "cannot add the colour profile to the WebP");
        status = MM_ERR_CORRUPT;
    } else {
        status = mm_copy_out(assembled.bytes, assembled.size, output, output_size, message);
    }
    WebPDataClear(&assembled);
    WebPMuxDelete(mux);
    return status;
}

int mm_webp_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                   int lossless, const uint8_t *icc, size_t icc_size, uint8_t **output,
                   size_t *output_size, char message[MM_MESSAGE_SIZE]) {
    *output = NULL;
    *output_size = 0;
    message[0] = 0;
    if (channels != 3 && channels != 4) {
        snprintf(message, MM_MESSAGE_SIZE, "WebP encodes RGB or RGBA, not %d channels", channels);
        return MM_ERR_UNSUPPORTED;
    }
    WebPConfig config;
    WebPPicture picture;
    if (!WebPConfigPreset(&config, WEBP_PRESET_DEFAULT, (float)quality) || !WebPPictureInit(&picture)) {
        snprintf(message, MM_MESSAGE_SIZE, "libwebp version mismatch");
        return MM_ERR_UNSUPPORTED;
    }
    config.lossless = lossless ? 1 : 0;
    config.method = 4;
    picture.use_argb = lossless ? 1 : 0;
    picture.width = width;
    picture.height = height;
    int imported = channels == 4 ? WebPPictureImportRGBA(&picture, pixels, width * 4)
                                 : WebPPictureImportRGB(&picture, pixels, width * 3);
    if (!imported) {
        WebPPictureFree(&picture);
        snprintf(message, MM_MESSAGE_SIZE, "out of memory importing pixels for WebP");
        return MM_ERR_MEMORY;
    }
    WebPMemoryWriter writer;
    WebPMemoryWriterInit(&writer);
    picture.writer = WebPMemoryWrite;
    picture.custom_ptr = &writer;
    int ok = WebPEncode(&config, &picture);
    int error = picture.error_code;
    WebPPictureFree(&picture);
    if (!ok) {
        WebPMemoryWriterClear(&writer);
        snprintf(message, MM_MESSAGE_SIZE, "WebP encoding failed (error %d)", error);
        return error == VP8_ENC_ERROR_OUT_OF_MEMORY ? MM_ERR_MEMORY : MM_ERR_CORRUPT;
    }
    if (icc != NULL && icc_size > 0) {
        int status = mm_webp_with_profile(&writer, icc, icc_size, output, output_size, message);
        WebPMemoryWriterClear(&writer);
        return status;
    }
    // The writer's buffer comes from WebPMalloc: copied into one mm_free can release.
    int status = mm_copy_out(writer.mem, writer.size, output, output_size, message);
    WebPMemoryWriterClear(&writer);
    return status;
}
