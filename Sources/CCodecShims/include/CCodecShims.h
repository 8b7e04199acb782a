#ifndef MEDIAMIRROR_CCODECSHIMS_H
#define MEDIAMIRROR_CCODECSHIMS_H

// The C wall around libjpeg and libpng. Both report fatal errors with longjmp, which must never
// cross a Swift frame, so every codec call runs inside a C function that called setjmp itself
// and returns a status code plus a message. Swift only ever sees plain buffers and status codes.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Codecs

enum {
    MM_OK = 0,
    MM_ERR_CORRUPT = 1,      // the data is broken or truncated
    MM_ERR_UNSUPPORTED = 2,  // valid, but a variant this build cannot decode (12-bit, lossless)
    MM_ERR_TOO_LARGE = 3,    // over the caller's pixel budget
    MM_ERR_MEMORY = 4,       // allocation failed
};

#define MM_MESSAGE_SIZE 200

/// A JPEG decoded row by row with DCT scaling by 1/`scale_denom` (1, 2, 4 or 8) into 8-bit RGB
/// (3 channels) or gray (1 channel). CMYK and YCCK are converted to RGB. Corrupt-data warnings
/// (truncation among them) are errors. The pixel budget is checked before anything is allocated,
/// on the full-size image for progressive files (held whole in coefficient buffers whatever the
/// scale), on the scaled size for sequential ones.
/// `block_smoothing`: libjpeg's estimate of missing AC coefficients in progressive files (on by
/// default in libjpeg); off when scans were left out on purpose (see mm_jpeg_scan_needs).
/// The data must stay in place until the reader is closed.
typedef struct mm_jpeg_reader mm_jpeg_reader;

int mm_jpeg_reader_open(const uint8_t *data, size_t size, int scale_denom, int block_smoothing,
                        uint64_t max_pixels, mm_jpeg_reader **reader, int *width, int *height,
                        int *channels, char message[MM_MESSAGE_SIZE]);

/// The same, reading the file open at `descriptor` from its start (with pread: the descriptor's
/// offset is left alone) a little at a time. The descriptor must stay open until the reader is
/// closed.
int mm_jpeg_reader_open_file(int descriptor, int scale_denom, int block_smoothing,
                             uint64_t max_pixels, mm_jpeg_reader **reader, int *width,
                             int *height, int *channels, char message[MM_MESSAGE_SIZE]);

/// A progressive JPEG (from `data`, or when NULL from the file at `descriptor`) read whole first
/// and kept as the coefficients a decode at 1/`scale_denom` reads (mm_jpeg_reduce), then decoded
/// row by row like a sequential one: the original's pixels without coefficient buffers for the
/// whole image. MM_ERR_UNSUPPORTED: not a file the rewrite reproduces exactly; open the original
/// with the other functions instead. `data` need not stay in place.
int mm_jpeg_reader_open_reduced(const uint8_t *data, size_t size, int descriptor, int scale_denom,
                                uint64_t max_pixels, mm_jpeg_reader **reader, int *width, int *height,
                                int *channels, char message[MM_MESSAGE_SIZE]);

/// Decodes up to `count` rows into `rows` (each width × channels bytes); the call that reads the
/// last row also checks the rest of the file. After an error the reader only reports that error
/// again.
int mm_jpeg_reader_read_rows(mm_jpeg_reader *reader, uint8_t *rows, int count, int *read,
                             char message[MM_MESSAGE_SIZE]);

/// The ICC profile the file embeds (APP2 markers put together), or 0 and NULL. Owned by the reader.
size_t mm_jpeg_reader_icc(const mm_jpeg_reader *reader, const uint8_t **profile);

void mm_jpeg_reader_close(mm_jpeg_reader *reader);

#define MM_JPEG_MAX_COMPONENTS 4

typedef struct {
    int progressive;
    int count;                               // 0 when the frame has more components than fit
    int ids[MM_JPEG_MAX_COMPONENTS];         // component identifiers, as in SOF and SOS
    int needs_ac[MM_JPEG_MAX_COMPONENTS];    // 1 when the IDCT at this scale reads AC coefficients
} mm_jpeg_scan_needs_t;

/// Which coefficients a decode at 1/`scale_denom` reads, per component: at 1/8 a component
/// decoded with a 1x1 IDCT needs its DC coefficient only, so a progressive file's AC scans of it
/// need not be decoded at all.
int mm_jpeg_scan_needs(const uint8_t *data, size_t size, int scale_denom,
                       mm_jpeg_scan_needs_t *needs, char message[MM_MESSAGE_SIZE]);

/// A progressive JPEG (from `data`, or when NULL from the file open at `descriptor`, read with
/// pread a little at a time) rewritten as a sequential one with only the coefficients a decode at
/// 1/`scale_denom` reads: decoded by mm_jpeg_reader_open at that scale (block smoothing off) it
/// gives the original's pixels, without coefficient buffers for the whole image. The output is
/// malloc'd; free it with mm_free. MM_ERR_UNSUPPORTED: not a file this rewrite reproduces
/// exactly (sequential, arithmetic-coded, incomplete or unusual): decode the original instead.
int mm_jpeg_reduce(const uint8_t *data, size_t size, int descriptor, int scale_denom, uint64_t max_pixels,
                   uint8_t **output, size_t *output_size, char message[MM_MESSAGE_SIZE]);

/// Encodes 8-bit RGB (3 channels) or gray (1 channel) rows as JPEG: 4:2:0, optimized Huffman
/// tables, optionally progressive, no metadata but the ICC profile `icc` when given (NULL: none).
/// The output is malloc'd; free it with mm_free.
int mm_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                   int progressive, const uint8_t *icc, size_t icc_size, uint8_t **output,
                   size_t *output_size, char message[MM_MESSAGE_SIZE]);

/// A PNG decoded row by row (every colour type and bit depth, tRNS, interlaced) into 8-bit RGB,
/// or RGBA (straight alpha) when the image has an alpha channel or tRNS, or `always_alpha`.
/// 16-bit samples are scaled, gray is expanded to RGB, gamma is left as stored. Only an interlaced
/// image is decoded whole at open. The data must stay in place until the reader is closed.
typedef struct mm_png_reader mm_png_reader;

int mm_png_reader_open(const uint8_t *data, size_t size, uint64_t max_pixels, int always_alpha,
                       mm_png_reader **reader, int *width, int *height, int *channels,
                       char message[MM_MESSAGE_SIZE]);

/// The same, reading the file open at `descriptor` (`size` bytes) from its start with pread. No
/// chunk may be longer than the file. The descriptor must stay open until the reader is closed.
int mm_png_reader_open_file(int descriptor, uint64_t size, uint64_t max_pixels, int always_alpha,
                            mm_png_reader **reader, int *width, int *height, int *channels,
                            char message[MM_MESSAGE_SIZE]);

/// Decodes up to `count` rows into `rows` (each width × channels bytes); the call that reads the
/// last row also checks the chunks after the image data. After an error the reader only reports
/// that error again.
int mm_png_reader_read_rows(mm_png_reader *reader, uint8_t *rows, int count, int *read,
                            char message[MM_MESSAGE_SIZE]);

/// The ICC profile of the file's iCCP chunk (decompressed), or 0 and NULL. Owned by the reader.
size_t mm_png_reader_icc(const mm_png_reader *reader, const uint8_t **profile);

void mm_png_reader_close(mm_png_reader *reader);

/// Encodes 8-bit RGBA (4 channels) or RGB (3 channels) rows as PNG at zlib level 6, with the ICC
/// profile `icc` in an iCCP chunk when given (NULL: none; left out if libpng finds it invalid).
int mm_png_encode(const uint8_t *pixels, int width, int height, int channels, const uint8_t *icc,
                  size_t icc_size, uint8_t **output, size_t *output_size,
                  char message[MM_MESSAGE_SIZE]);

/// A WebP's first frame as 8-bit RGB, or RGBA (straight alpha) when it has alpha or is animated
/// (an animation's first frame is composited on its canvas, transparent where it does not
/// cover). A still image wider than `min_width` (> 0) is scaled down to `min_width` while it is
/// decoded, keeping its aspect: a large WebP is never held at full size. The pixel budget is
/// checked on the full size before anything is allocated. The pixels are malloc'd; free them
/// with mm_free.
int mm_webp_decode(const uint8_t *data, size_t size, int min_width, uint64_t max_pixels,
                   uint8_t **pixels, int *width, int *height, int *channels,
                   char message[MM_MESSAGE_SIZE]);

/// Encodes 8-bit RGB or RGBA rows as WebP at `quality` (lossy) or losslessly, method 4, no
/// metadata but the ICC profile `icc` in an ICCP chunk when given (NULL: none). The output is
/// malloc'd; free it with mm_free.
int mm_webp_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                   int lossless, const uint8_t *icc, size_t icc_size, uint8_t **output,
                   size_t *output_size, char message[MM_MESSAGE_SIZE]);

/// A GIF's first frame on its logical screen as 8-bit RGBA: the frame's pixels opaque, its
/// transparent index and the screen outside the frame transparent. Interlaced frames are put
/// in order. Only the first frame is read. The pixel budget is checked on the screen before
/// anything is allocated. The pixels are malloc'd; free them with mm_free.
int mm_gif_decode(const uint8_t *data, size_t size, uint64_t max_pixels, uint8_t **pixels,
                  int *width, int *height, char message[MM_MESSAGE_SIZE]);

/// An AVIF's primary image (the first frame of a sequence) as 8-bit RGB, or RGBA when it has
/// alpha, converted from YUV with bilinear chroma upsampling. The pixel budget is libavif's
/// size limit, checked before any plane is allocated. The pixels are malloc'd; free them with
/// mm_free.
int mm_avif_decode(const uint8_t *data, size_t size, uint64_t max_pixels, uint8_t **pixels,
                   int *width, int *height, int *channels, char message[MM_MESSAGE_SIZE]);

/// Encodes 8-bit RGB or RGBA rows as AVIF (4:2:0, 8-bit) at `quality` 0-100 (mapped to the AV1
/// quantizer as libavif 1.0 does) and `speed` 0-10 (-1: the codec's default), one thread, with
/// the ICC profile `icc` when given. The output is malloc'd; free it with mm_free.
int mm_avif_encode(const uint8_t *pixels, int width, int height, int channels, int quality, int speed,
                   const uint8_t *icc, size_t icc_size, uint8_t **output, size_t *output_size,
                   char message[MM_MESSAGE_SIZE]);

/// Limits on an animation's decode: frames, and pixels over all frames (each frame counts its
/// whole canvas), besides the budget on one canvas.
typedef struct {
    uint64_t max_pixels;
    int max_frames;
    uint64_t max_total_pixels;
} mm_anim_limits;

/// Called with each composited frame (8-bit RGBA, the whole canvas) and how long it shows, in
/// milliseconds; a non-zero return stops the decode.
typedef int (*mm_frame_callback)(const uint8_t *rgba, int width, int height, int duration, void *context);

/// Every frame of a GIF on its logical screen, disposal methods applied, streamed: one canvas
/// (and one saved copy for "restore to previous") in memory. Over a limit: MM_ERR_TOO_LARGE
/// before the frame that would cross it is decoded.
int mm_gif_frames(const uint8_t *data, size_t size, const mm_anim_limits *limits,
                  mm_frame_callback callback, void *context, char message[MM_MESSAGE_SIZE]);

/// Every frame of an animated WebP composited on its canvas (WebPAnimDecoder), streamed; the
/// limits are checked on the header's frame count before any frame is decoded.
int mm_webp_frames(const uint8_t *data, size_t size, const mm_anim_limits *limits,
                   mm_frame_callback callback, void *context, char message[MM_MESSAGE_SIZE]);

/// An animated WebP being encoded (WebPAnimEncoder, lossy at `quality`, method 4).
typedef struct mm_webp_animation mm_webp_animation;

/// NULL when out of memory.
mm_webp_animation *mm_webp_animation_new(int width, int height, int quality);

/// Adds a frame of the animation's size (RGBA) shown for `duration` milliseconds.
int mm_webp_animation_add(mm_webp_animation *animation, const uint8_t *rgba, int duration,
                          char message[MM_MESSAGE_SIZE]);

/// The encoded animation, malloc'd; free it with mm_free.
int mm_webp_animation_finish(mm_webp_animation *animation, uint8_t **output, size_t *output_size,
                             char message[MM_MESSAGE_SIZE]);

void mm_webp_animation_free(mm_webp_animation *animation);

void mm_free(void *pointer);

#ifdef __cplusplus
}
#endif

#endif
