#ifndef MEDIAMIRROR_CODEC_INTERNAL_H
#define MEDIAMIRROR_CODEC_INTERNAL_H

// What the shims share among themselves (not part of the module's interface).

#include <stddef.h>
#include <stdint.h>

#include <gif_lib.h>

#include "CCodecShims.h"

/// A GIF read from memory: giflib's input function reads it through `UserData`.
typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} mm_gif_source;

/// giflib's InputFunc over an `mm_gif_source`.
int mm_gif_read_memory(GifFileType *gif, GifByteType *out, int length);

/// Copies an encoder's output (owned by its library, freed with that library's own call) into
/// one buffer mm_free releases. MM_OK, or MM_ERR_MEMORY with the message set.
int mm_copy_out(const void *data, size_t size, uint8_t **output, size_t *output_size,
                char message[MM_MESSAGE_SIZE]);

#endif
