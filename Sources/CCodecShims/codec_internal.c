#include "codec_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mm_copy_out(const void *data, size_t size, uint8_t **output, size_t *output_size,
                char message[MM_MESSAGE_SIZE]) {
    uint8_t *copy = malloc(size > 0 ? size : 1);
    if (copy == NULL) {
        snprintf(message, MM_MESSAGE_SIZE, "out of memory");
        return MM_ERR_MEMORY;
    }
    if (size > 0) memcpy(copy, data, size);
    *output = copy;
    *output_size = size;
    return MM_OK;
}
