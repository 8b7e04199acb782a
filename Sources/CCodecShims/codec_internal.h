#ifndef MEDIAMIRROR_CODEC_INTERNAL_H
#define MEDIAMIRROR_CODEC_INTERNAL_H

// What the shims share among themselves (not part of the module's interface).

#include <stddef.h>
#include <stdint.h>

#include <gif_lib.h>

/// A GIF read from memory: giflib's input function reads it through `UserData`.
typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} mm_gif_source;

/// giflib's InputFunc over an `mm_gif_source`.
int mm_gif_read_memory(GifFileType *gif, GifByteType *out, int length);

#endif
