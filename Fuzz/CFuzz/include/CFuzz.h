#ifndef MEDIAMIRROR_CFUZZ_H
#define MEDIAMIRROR_CFUZZ_H
#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver. SwiftPM links executables with their own entry point, so the fuzz targets
// call the driver from it instead of relying on libFuzzer's main.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
