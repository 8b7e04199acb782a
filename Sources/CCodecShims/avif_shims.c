#include "CCodecShims.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <avif/avif.h>

#include "codec_internal.h"

static int mm_avif_status(avifResult result, const char *what, char message[MM_MESSAGE_SIZE]) {
    snprintf(message, MM_MESSAGE_SIZE, "%s: %s", what, avifResultToString(result));
    switch (result) {
    case AVIF_RESULT_OUT_OF_MEMORY:
        return MM_ERR_MEMORY;
    case AVIF_RESULT_NO_CODEC_AVAILABLE:
    case AVIF_RESULT_NOT_IMPLEMENTED:
        return MM_ERR_UNSUPPORTED;
    default:
        return MM_ERR_CORRUPT;
    }
}

int mm_avif_decode(const uint8_t *data, size_t size, uint64_t max_pixels, uint8_t **pixels,
                   int *width, int *height, int *channels, char message[MM_MESSAGE_SIZE]) {
    *pixels = NULL;
    message[0] = 0;
    avifDecoder *decoder = avifDecoderCreate();
    if (decoder == NULL) {
        snprintf(message, MM_MESSAGE_SIZE, "out of memory");
        return MM_ERR_MEMORY;
    }
    decoder->maxThreads = 1;
    decoder->ignoreExif = AVIF_TRUE;
    decoder->ignoreXMP = AVIF_TRUE;
    // libavif refuses anything over its limit before it allocates: ours, capped to its type.
    decoder->imageSizeLimit = max_pixels > UINT32_MAX ? UINT32_MAX : (uint32_t)max_pixels;
    avifResult result = avifDecoderSetIOMemory(decoder, data, size);
    if (result == AVIF_RESULT_OK) result = avifDecoderParse(decoder);
    if (result != AVIF_RESULT_OK) {
        int status = mm_avif_status(result, "AVIF", message);
        avifDecoderDestroy(decoder);
        return status;
    }
    uint32_t w = decoder->image->width;
    uint32_t h = decoder->image->height;
    if (w == 0 || h == 0 || (uint64_t)w * (uint64_t)h > max_pixels) {
        snprintf(message, MM_MESSAGE_SIZE, "%ux%u is over the pixel budget of %llu", w, h,
                 (unsigned long long)max_pixels);
        avifDecoderDestroy(decoder);
        return MM_ERR_TOO_LARGE;
    }
    result = avifDecoderNextImage(decoder);
    if (result != AVIF_RESULT_OK) {
        int status = mm_avif_status(result, "AVIF image", message);
        avifDecoderDestroy(decoder);
        return status;
    }
    int has_alpha = decoder->alphaPresent || decoder->image->alphaPlane != NULL;
    avifRGBImage rgb;
    memset(&rgb, 0, sizeof(rgb));
    avifRGBImageSetDefaults(&rgb, decoder->image);
    rgb.depth = 8;
    rgb.format = has_alpha ? AVIF_RGB_FORMAT_RGBA : AVIF_RGB_FORMAT_RGB;
    rgb.chromaUpsampling = AVIF_CHROMA_UPSAMPLING_BILINEAR;
    rgb.rowBytes = (uint32_t)((size_t)w * (has_alpha ? 4 : 3));
    uint8_t *buffer = malloc((size_t)rgb.rowBytes * h);
    if (buffer == NULL) {
        avifDecoderDestroy(decoder);
        snprintf(message, MM_MESSAGE_SIZE, "out of memory");
        return MM_ERR_MEMORY;
    }
    rgb.pixels = buffer;
    result = avifImageYUVToRGB(decoder->image, &rgb);
    avifDecoderDestroy(decoder);
    if (result != AVIF_RESULT_OK) {
        free(buffer);
        return mm_avif_status(result, "AVIF colour conversion", message);
    }
    *pixels = buffer;
    *width = (int)w;
    *height = (int)h;
    *channels = has_alpha ? 4 : 3;
    return MM_OK;
}

int mm_avif_encode(const uint8_t *pixels, int width, int height, int channels, int quality, int speed,
                   const uint8_t *icc, size_t icc_size, uint8_t **output, size_t *output_size,
                   char message[MM_MESSAGE_SIZE]) {
    *output = NULL;
    *output_size = 0;
    message[0] = 0;
    if (channels != 3 && channels != 4) {
        snprintf(message, MM_MESSAGE_SIZE, "AVIF encodes RGB or RGBA, not %d channels", channels);
        return MM_ERR_UNSUPPORTED;
    }
    avifImage *image = avifImageCreate((uint32_t)width, (uint32_t)height, 8, AVIF_PIXEL_FORMAT_YUV420);
    if (image == NULL) {
        snprintf(message, MM_MESSAGE_SIZE, "out of memory");
        return MM_ERR_MEMORY;
    }
    // Colour as the pixels carry it: sRGB primaries and transfer unless a profile says otherwise.
    if (icc != NULL && icc_size > 0) avifImageSetProfileICC(image, icc, icc_size);
    avifRGBImage rgb;
    memset(&rgb, 0, sizeof(rgb));
    avifRGBImageSetDefaults(&rgb, image);
    rgb.depth = 8;
    rgb.format = channels == 4 ? AVIF_RGB_FORMAT_RGBA : AVIF_RGB_FORMAT_RGB;
    rgb.pixels = (uint8_t *)pixels;
    rgb.rowBytes = (uint32_t)((size_t)width * channels);
    avifResult result = avifImageRGBToYUV(image, &rgb);
    if (result != AVIF_RESULT_OK) {
        avifImageDestroy(image);
        return mm_avif_status(result, "AVIF colour conversion", message);
    }
    avifEncoder *encoder = avifEncoderCreate();
    if (encoder == NULL) {
        avifImageDestroy(image);
        snprintf(message, MM_MESSAGE_SIZE, "out of memory");
        return MM_ERR_MEMORY;
    }
    if (quality < 0) quality = 0;
    if (quality > 100) quality = 100;
    // libavif 1.0's mapping of a 0-100 quality to AV1's 0-63 quantizer (0.11 takes quantizers).
    int quantizer = ((100 - quality) * 63 + 50) / 100;
    encoder->minQuantizer = quantizer;
    encoder->maxQuantizer = quantizer;
    encoder->minQuantizerAlpha = quantizer;
    encoder->maxQuantizerAlpha = quantizer;
    encoder->speed = speed < 0 ? AVIF_SPEED_DEFAULT : (speed > 10 ? 10 : speed);
    encoder->maxThreads = 1;
    avifRWData encoded = AVIF_DATA_EMPTY;
    result = avifEncoderWrite(encoder, image, &encoded);
    avifEncoderDestroy(encoder);
    avifImageDestroy(image);
    if (result != AVIF_RESULT_OK) {
        avifRWDataFree(&encoded);
        return mm_avif_status(result, "AVIF encoding", message);
    }
    int status = mm_copy_out(encoded.data, encoded.size, output, output_size, message);
    avifRWDataFree(&encoded);
    return status;
}
