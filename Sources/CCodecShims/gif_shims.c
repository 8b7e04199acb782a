#include "CCodecShims.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>

#include "codec_internal.h"

int mm_gif_read_memory(GifFileType *gif, GifByteType *out, int length) {
    mm_gif_source *source = (mm_gif_source *)gif->UserData;
    if (length <= 0) return 0;
    size_t left = source->size - source->offset;
    size_t count = (size_t)length < left ? (size_t)length : left;
    memcpy(out, source->data + source->offset, count);
    source->offset += count;
    return (int)count;
}

static int mm_gif_fail(GifFileType *gif, int code, const char *what, char message[MM_MESSAGE_SIZE]) {
    const char *reason = GifErrorString(code);
    snprintf(message, MM_MESSAGE_SIZE, "corrupt GIF: %s%s%s", what, reason ? ": " : "",
             reason ? reason : "");
    if (gif != NULL) {
        int ignored;
        DGifCloseFile(gif, &ignored);
    }
    return MM_ERR_CORRUPT;
}

// Skips the blocks of an extension, keeping the transparent index of a Graphic Control one.
static int mm_gif_extension(GifFileType *gif, int *transparent) {
    int code = 0;
    GifByteType *block = NULL;
    if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) return GIF_ERROR;
    if (code == GRAPHICS_EXT_FUNC_CODE && block != NULL) {
        GraphicsControlBlock control;
        if (DGifExtensionToGCB(block[0], block + 1, &control) == GIF_OK) {
            *transparent = control.TransparentColor;
        }
    }
    while (block != NULL) {
        if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) return GIF_ERROR;
    }
    return GIF_OK;
}

// Reads the image's rows (interlaced ones in their four passes) onto the RGBA canvas.
static int mm_gif_paint(GifFileType *gif, uint8_t *canvas, int canvas_width, int canvas_height,
                        int transparent, uint8_t *line) {
    const GifImageDesc *frame = &gif->Image;
    const ColorMapObject *colors = frame->ColorMap != NULL ? frame->ColorMap : gif->SColorMap;
    static const int starts[] = {0, 4, 2, 1};
    static const int steps[] = {8, 8, 4, 2};
    int passes = frame->Interlace ? 4 : 1;
    for (int pass = 0; pass < passes; pass++) {
        int start = frame->Interlace ? starts[pass] : 0;
        int step = frame->Interlace ? steps[pass] : 1;
        for (int row = start; row < frame->Height; row += step) {
            if (DGifGetLine(gif, line, frame->Width) == GIF_ERROR) return GIF_ERROR;
            int y = frame->Top + row;
            if (y < 0 || y >= canvas_height) continue;
            for (int column = 0; column < frame->Width; column++) {
                int x = frame->Left + column;
                int index = line[column];
                if (x < 0 || x >= canvas_width || index == transparent) continue;
                uint8_t *pixel = canvas + ((size_t)y * canvas_width + x) * 4;
                if (colors != NULL && index < colors->ColorCount) {
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
    return GIF_OK;
}

int mm_gif_decode(const uint8_t *data, size_t size, uint64_t max_pixels, uint8_t **pixels,
                  int *width, int *height, char message[MM_MESSAGE_SIZE]) {
    *pixels = NULL;
    message[0] = 0;
    mm_gif_source source = {data, size, 0};
    int error = 0;
    GifFileType *gif = DGifOpen(&source, mm_gif_read_memory, &error);
    if (gif == NULL) return mm_gif_fail(NULL, error, "header", message);
    if (gif->SWidth <= 0 || gif->SHeight <= 0) {
        snprintf(message, MM_MESSAGE_SIZE, "corrupt GIF: a %dx%d screen", gif->SWidth, gif->SHeight);
        int ignored;
        DGifCloseFile(gif, &ignored);
        return MM_ERR_CORRUPT;
    }
    if ((uint64_t)gif->SWidth * (uint64_t)gif->SHeight > max_pixels) {
        snprintf(message, MM_MESSAGE_SIZE, "%dx%d is over the pixel budget of %llu", gif->SWidth,
                 gif->SHeight, (unsigned long long)max_pixels);
        int ignored;
        DGifCloseFile(gif, &ignored);
        return MM_ERR_TOO_LARGE;
    }
    uint8_t *canvas = NULL;
    uint8_t *line = NULL;
    int transparent = NO_TRANSPARENT_COLOR;
    for (;;) {
        GifRecordType record;
        if (DGifGetRecordType(gif, &record) == GIF_ERROR) break;
        if (record == EXTENSION_RECORD_TYPE) {
            if (mm_gif_extension(gif, &transparent) == GIF_ERROR) break;
            continue;
        }
        if (record == IMAGE_DESC_RECORD_TYPE) {
            if (DGifGetImageDesc(gif) == GIF_ERROR) break;
            const GifImageDesc *frame = &gif->Image;
            if (frame->Width <= 0 || frame->Height <= 0 ||
                (uint64_t)frame->Width * (uint64_t)frame->Height > max_pixels) {
                snprintf(message, MM_MESSAGE_SIZE, "corrupt GIF: a %dx%d frame", frame->Width, frame->Height);
                break;
            }
            if (frame->ColorMap == NULL && gif->SColorMap == NULL) {
                snprintf(message, MM_MESSAGE_SIZE, "corrupt GIF: a frame without a colour map");
                break;
            }
            // A first frame reaching past the logical screen enlarges the canvas (as Pillow and
            // the probe size it).
            int canvas_width = gif->SWidth;
            int canvas_height = gif->SHeight;
            if (frame->Left >= 0 && frame->Left + frame->Width > canvas_width) canvas_width = frame->Left + frame->Width;
            if (frame->Top >= 0 && frame->Top + frame->Height > canvas_height) canvas_height = frame->Top + frame->Height;
            if ((uint64_t)canvas_width * (uint64_t)canvas_height > max_pixels) {
                snprintf(message, MM_MESSAGE_SIZE, "%dx%d is over the pixel budget of %llu", canvas_width,
                         canvas_height, (unsigned long long)max_pixels);
                int ignored;
                DGifCloseFile(gif, &ignored);
                return MM_ERR_TOO_LARGE;
            }
            canvas = calloc((size_t)canvas_width * canvas_height * 4, 1);
            line = malloc((size_t)frame->Width);
            if (canvas == NULL || line == NULL) {
                free(canvas);
                free(line);
                int ignored;
                DGifCloseFile(gif, &ignored);
                snprintf(message, MM_MESSAGE_SIZE, "out of memory");
                return MM_ERR_MEMORY;
            }
            // Without a transparent index the canvas around the frame is opaque: palette entry 0,
            // as Pillow renders it (browsers differ among themselves here).
            const ColorMapObject *colors = frame->ColorMap != NULL ? frame->ColorMap : gif->SColorMap;
            if (transparent == NO_TRANSPARENT_COLOR && colors != NULL && colors->ColorCount > 0) {
                GifColorType background = colors->Colors[0];
                for (size_t pixel = 0; pixel < (size_t)canvas_width * canvas_height; pixel++) {
                    canvas[pixel * 4] = background.Red;
                    canvas[pixel * 4 + 1] = background.Green;
                    canvas[pixel * 4 + 2] = background.Blue;
                    canvas[pixel * 4 + 3] = 255;
                }
            }
            if (mm_gif_paint(gif, canvas, canvas_width, canvas_height, transparent, line) == GIF_ERROR) break;
            free(line);
            *pixels = canvas;
            *width = canvas_width;
            *height = canvas_height;
            DGifCloseFile(gif, &error);
            return MM_OK;
        }
        if (record == TERMINATE_RECORD_TYPE) {
            snprintf(message, MM_MESSAGE_SIZE, "corrupt GIF: no image before the end");
            break;
        }
    }
    free(line);
    free(canvas);
    if (message[0] != 0) {
        int ignored;
        DGifCloseFile(gif, &ignored);
        return MM_ERR_CORRUPT;
    }
    int code = gif->Error;
    return mm_gif_fail(gif, code, "image data", message);
}
