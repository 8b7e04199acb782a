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

/// A progressive JPEG's scans decoded into the coefficients a reduced-size decode reads, ready to
/// be written out as a sequential JPEG a chunk at a time (see jpeg_reduce.c).
typedef struct mm_reduce mm_reduce;

/// Reads the whole file (from `data`, or when NULL from the file at `descriptor`), keeping per
/// component in frame order the coefficients an inverse DCT of `scaled_size` (1, 2, 4, 8) reads.
/// NULL with *status set when it cannot: MM_ERR_UNSUPPORTED when the file is not one this
/// rewrite reproduces exactly (the caller decodes the original instead).
mm_reduce *mm_jpeg_reduce_open(const uint8_t *data, size_t size, int descriptor,
                               const int scaled_size[MM_JPEG_MAX_COMPONENTS], uint64_t max_blocks, int *status,
                               char message[MM_MESSAGE_SIZE]);

/// The next piece of the sequential stream (valid until the next call): 1, or 0 after the EOI,
/// or -1 when memory ran out.
int mm_jpeg_reduce_next(mm_reduce *reduce, const uint8_t **chunk, size_t *chunk_size);

void mm_jpeg_reduce_close(mm_reduce *reduce);

/// The same, the whole sequential stream at once (malloc'd).
int mm_jpeg_reduce_scans(const uint8_t *data, size_t size, int descriptor,
                         const int scaled_size[MM_JPEG_MAX_COMPONENTS], uint64_t max_blocks, uint8_t **output,
                         size_t *output_size, char message[MM_MESSAGE_SIZE]);

#endif
