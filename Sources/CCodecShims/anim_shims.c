#include "CCodecShims.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>
#include <webp/demux.h>
#include <webp/encode.h>
#include <webp/mux.h>

#include "codec_internal.h"

// MARK: - GIF frames

static int mm_anim_budget(int frames, uint64_t pixels, const mm_anim_limits *limits,
                          char message[MM_MESSAGE_SIZE]) {
    if (frames > limits->max_frames) {
        snprintf(message, MM_MESSAGE_SIZE, "more than %d frames", limits->max_frames);
        return MM_ERR_TOO_LARGE;
    }
    if (pixels > limits->max_total_pixels) {
        snprintf(message, MM_MESSAGE_SIZE, "more than %llu pixels in all frames",
                 (unsigned long long)limits->max_total_pixels);
        return MM_ERR_TOO_LARGE;
    }
    return MM_OK;
}

int mm_gif_frames(const uint8_t *data, size_t size, const mm_anim_limits *limits,
                  mm_frame_callback callback, void *context, char message[MM_MESSAGE_SIZE]) {
    message[0] = 0;
    mm_gif_source source = {data, size, 0};
    int error = 0;
    GifFileType *gif = DGifOpen(&source, mm_gif_read_memory, &error);
    if (gif == NULL) {
        snprintf(message, MM_MESSAGE_SIZE, "corrupt GIF: %s", GifErrorString(error) ? GifErrorString(error) : "header");
        return MM_ERR_CORRUPT;
    }
    int width = gif->SWidth;
    int height = gif->SHeight;
    uint64_t area = (uint64_t)(width > 0 ? width : 0) * (uint64_t)(height > 0 ? height : 0);
    if (area == 0 || area > limits->max_pixels) {
        snprintf(message, MM_MESSAGE_SIZE, "a %dx%d screen is outside the pixel budget", width, height);
        DGifCloseFile(gif, &error);
        return area == 0 ? MM_ERR_CORRUPT : MM_ERR_TOO_LARGE;
    }
    uint8_t *canvas = calloc(area * 4, 1);
    uint8_t *saved = NULL;
    uint8_t *line = malloc((size_t)width);
    if (canvas == NULL || line == NULL) {
        free(canvas);
        free(line);
        DGifCloseFile(gif, &error);
        snprintf(message, MM_MESSAGE_SIZE, "out of memory");
        return MM_ERR_MEMORY;
    }
    int status = MM_OK;
    int frames = 0;
    int transparent = NO_TRANSPARENT_COLOR;
    int disposal = DISPOSAL_UNSPECIFIED;
    int delay = 10;
    for (;;) {
        GifRecordType record;
        if (DGifGetRecordType(gif, &record) == GIF_ERROR) {
            // A file cut short after its first frame keeps the frames it has, as browsers do.
            if (frames == 0) {
                snprintf(message, MM_MESSAGE_SIZE, "corrupt GIF: %s", GifErrorString(gif->Error));
                status = MM_ERR_CORRUPT;
            }
            break;
        }
        if (record == TERMINATE_RECORD_TYPE) break;
        if (record == EXTENSION_RECORD_TYPE) {
            int code = 0;
            GifByteType *block = NULL;
            if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) break;
            if (code == GRAPHICS_EXT_FUNC_CODE && block != NULL) {
                GraphicsControlBlock control;
                if (DGifExtensionToGCB(block[0], block + 1, &control) == GIF_OK) {
                    transparent = control.TransparentColor;
                    disposal = control.DisposalMode;
                    delay = control.DelayTime;
                }
            }
            while (block != NULL) {
                if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) break;
            }
            continue;
        }
        if (record != IMAGE_DESC_RECORD_TYPE) continue;
        if (DGifGetImageDesc(gif) == GIF_ERROR) break;
        const GifImageDesc *frame = &gif->Image;
        const ColorMapObject *colors = frame->ColorMap != NULL ? frame->ColorMap : gif->SColorMap;
        if (frame->Width <= 0 || frame->Height <= 0 || frame->Width > 65535 || colors == NULL) {
            snprintf(message, MM_MESSAGE_SIZE, "corrupt GIF: frame %d", frames + 1);
            status = MM_ERR_CORRUPT;
            break;
        }
        frames++;
        status = mm_anim_budget(frames, (uint64_t)frames * area, limits, message);
        if (status != MM_OK) break;
        // Without a transparent index the canvas around the first frame is opaque: palette
        // entry 0, as the still decoder (and Pillow) render it.
        if (frames == 1 && transparent == NO_TRANSPARENT_COLOR && colors->ColorCount > 0) {
            GifColorType background = colors->Colors[0];
            for (uint64_t pixel = 0; pixel < area; pixel++) {
                canvas[pixel * 4] = background.Red;
                canvas[pixel * 4 + 1] = background.Green;
                canvas[pixel * 4 + 2] = background.Blue;
                canvas[pixel * 4 + 3] = 255;
            }
        }
        if (frame->Width > width) {
            uint8_t *wider = realloc(line, (size_t)frame->Width);
            if (wider == NULL) {
                status = MM_ERR_MEMORY;
                break;
            }
            line = wider;
        }
        if (disposal == DISPOSE_PREVIOUS) {
            if (saved == NULL) saved = malloc(area * 4);
            if (saved == NULL) {
                status = MM_ERR_MEMORY;
                break;
            }
            memcpy(saved, canvas, area * 4);
        }
        static const int starts[] = {0, 4, 2, 1};
        static const int steps[] = {8, 8, 4, 2};
        int passes = frame->Interlace ? 4 : 1;
        int failed = 0;
        for (int pass = 0; pass < passes && !failed; pass++) {
            int start = frame->Interlace ? starts[pass] : 0;
            int step = frame->Interlace ? steps[pass] : 1;
            for (int row = start; row < frame->Height; row += step) {
                if (DGifGetLine(gif, line, frame->Width) == GIF_ERROR) {
                    failed = 1;
                    break;
                }
                int y = frame->Top + row;
                if (y < 0 || y >= height) continue;
                for (int column = 0; column < frame->Width; column++) {
                    int x = frame->Left + column;
                    int index = line[column];
                    if (x < 0 || x >= width || index == transparent) continue;
                    uint8_t *pixel = canvas + ((size_t)y * width + x) * 4;
                    if (index < colors->ColorCount) {
                        pixel[0] = colors->Colors[index].Red;
                        pixel[1] = colors->Colors[index].Green;
                        pixel[2] = colors->Colors[index].Blue;
                    } else {
                        pixel[0] = pixel[1] = pixel[2] = 0;
                    }
                    pixel[3] = 255;
                }
            }
        }
        if (failed) {
            // A frame cut short ends the animation; earlier frames stand.
            if (frames == 1) {
                snprintf(message, MM_MESSAGE_SIZE, "corrupt GIF: %s", GifErrorString(gif->Error));
                status = MM_ERR_CORRUPT;
            }
            break;
        }
        // GIF delays are in hundredths; browsers show 0 and 1 as 100 ms.
        int duration = delay <= 1 ? 100 : delay * 10;
        if (callback(canvas, width, height, duration, context) != 0) {
            snprintf(message, MM_MESSAGE_SIZE, "stopped by the caller");
            status = MM_ERR_UNSUPPORTED;
            break;
        }
        if (disposal == DISPOSE_BACKGROUND) {
            for (int row = frame->Top; row < frame->Top + frame->Height; row++) {
                if (row < 0 || row >= height) continue;
                int left = frame->Left < 0 ? 0 : frame->Left;
                int right = frame->Left + frame->Width > width ? width : frame->Left + frame->Width;
                if (right > left) memset(canvas + ((size_t)row * width + left) * 4, 0, (size_t)(right - left) * 4);
            }
        } else if (disposal == DISPOSE_PREVIOUS && saved != NULL) {
            memcpy(canvas, saved, area * 4);
        }
        transparent = NO_TRANSPARENT_COLOR;
        disposal = DISPOSAL_UNSPECIFIED;
        delay = 10;
    }
    free(canvas);
    free(saved);
    free(line);
    DGifCloseFile(gif, &error);
    if (status == MM_OK && frames == 0) {
        snprintf(message, MM_MESSAGE_SIZE, "corrupt GIF: no frame");
        status = MM_ERR_CORRUPT;
    }
    return status;
}

// MARK: - WebP frames

int mm_webp_frames(const uint8_t *data, size_t size, const mm_anim_limits *limits,
                   mm_frame_callback callback, void *context, char message[MM_MESSAGE_SIZE]) {
    message[0] = 0;
    WebPData input = {data, size};
    WebPAnimDecoderOptions options;
    if (!WebPAnimDecoderOptionsInit(&options)) {
        snprintf(message, MM_MESSAGE_SIZE, "libwebp version mismatch");
        return MM_ERR_UNSUPPORTED;
    }
    options.color_mode = MODE_RGBA;
    options.use_threads = 0;
    WebPAnimDecoder *decoder = WebPAnimDecoderNew(&input, &options);
    if (decoder == NULL) {
        snprintf(message, MM_MESSAGE_SIZE, "corrupt animated WebP");
        return MM_ERR_CORRUPT;
    }
    WebPAnimInfo info;
    if (!WebPAnimDecoderGetInfo(decoder, &info)) {
        WebPAnimDecoderDelete(decoder);
        snprintf(message, MM_MESSAGE_SIZE, "corrupt animated WebP");
        return MM_ERR_CORRUPT;
    }
    uint64_t area = (uint64_t)info.canvas_width * info.canvas_height;
    if (area == 0 || area > limits->max_pixels) {
        WebPAnimDecoderDelete(decoder);
        snprintf(message, MM_MESSAGE_SIZE, "a %ux%u canvas is outside the pixel budget", info.canvas_width,
                 info.canvas_height);
        return area == 0 ? MM_ERR_CORRUPT : MM_ERR_TOO_LARGE;
    }
    int status = mm_anim_budget((int)info.frame_count, (uint64_t)info.frame_count * area, limits, message);
    int frames = 0;
    int previous = 0;
    while (status == MM_OK && WebPAnimDecoderHasMoreFrames(decoder)) {
        uint8_t *frame = NULL;
        int timestamp = 0;
        if (!WebPAnimDecoderGetNext(decoder, &frame, &timestamp) || frame == NULL) {
            if (frames == 0) {
                snprintf(message, MM_MESSAGE_SIZE, "corrupt animated WebP: frame %d", frames + 1);
                status = MM_ERR_CORRUPT;
            }
            break;
        }
        frames++;
        // The decoder gives each frame's end time; its duration is the difference.
        int duration = timestamp - previous;
        previous = timestamp;
        if (callback(frame, (int)info.canvas_width, (int)info.canvas_height, duration > 0 ? duration : 100,
                     context) != 0) {
            snprintf(message, MM_MESSAGE_SIZE, "stopped by the caller");
            status = MM_ERR_UNSUPPORTED;
        }
    }
    WebPAnimDecoderDelete(decoder);
    return status;
}

// MARK: - Animated WebP encoding

struct mm_webp_animation {
    WebPAnimEncoder *encoder;
    WebPConfig config;
    int timestamp;
    int width;
    int height;
};

mm_webp_animation *mm_webp_animation_new(int width, int height, int quality) {
    mm_webp_animation *animation = calloc(1, sizeof(mm_webp_animation));
    if (animation == NULL) return NULL;
    WebPAnimEncoderOptions options;
    if (!WebPAnimEncoderOptionsInit(&options) || !WebPConfigPreset(&animation->config, WEBP_PRESET_DEFAULT, (float)quality)) {
        free(animation);
        return NULL;
    }
    options.allow_mixed = 0;
    animation->config.method = 4;
    animation->encoder = WebPAnimEncoderNew(width, height, &options);
    if (animation->encoder == NULL) {
        free(animation);
        return NULL;
    }
    animation->width = width;
    animation->height = height;
    return animation;
}

int mm_webp_animation_add(mm_webp_animation *animation, const uint8_t *rgba, int duration,
                          char message[MM_MESSAGE_SIZE]) {
    WebPPicture picture;
    if (!WebPPictureInit(&picture)) {
        snprintf(message, MM_MESSAGE_SIZE, "libwebp version mismatch");
        return MM_ERR_UNSUPPORTED;
    }
    picture.width = animation->width;
    picture.height = animation->height;
    picture.use_argb = 1;
    if (!WebPPictureImportRGBA(&picture, rgba, animation->width * 4)) {
        WebPPictureFree(&picture);
        snprintf(message, MM_MESSAGE_SIZE, "out of memory importing a frame");
        return MM_ERR_MEMORY;
    }
    int ok = WebPAnimEncoderAdd(animation->encoder, &picture, animation->timestamp, &animation->config);
    WebPPictureFree(&picture);
    if (!ok) {
        snprintf(message, MM_MESSAGE_SIZE, "animated WebP encoding failed: %s",
                 WebPAnimEncoderGetError(animation->encoder));
        return MM_ERR_CORRUPT;
    }
    animation->timestamp += duration;
    return MM_OK;
}

int mm_webp_animation_finish(mm_webp_animation *animation, uint8_t **output, size_t *output_size,
                             char message[MM_MESSAGE_SIZE]) {
    *output = NULL;
    *output_size = 0;
    WebPData assembled = {NULL, 0};
    if (!WebPAnimEncoderAdd(animation->encoder, NULL, animation->timestamp, NULL) ||
        !WebPAnimEncoderAssemble(animation->encoder, &assembled)) {
        snprintf(message, MM_MESSAGE_SIZE, "animated WebP encoding failed: %s",
                 WebPAnimEncoderGetError(animation->encoder));
        WebPDataClear(&assembled);
        return MM_ERR_CORRUPT;
    }
    int status = mm_copy_out(assembled.bytes, assembled.size, output, output_size, message);
    WebPDataClear(&assembled);
    return status;
}

void mm_webp_animation_free(mm_webp_animation *animation) {
    if (animation == NULL) return;
    WebPAnimEncoderDelete(animation->encoder);
    free(animation);
}
