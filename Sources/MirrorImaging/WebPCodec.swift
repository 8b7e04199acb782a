internal import CCodecShims

/// libwebp through the shims.
public enum WebPCodec {
    /// The first frame as RGB or RGBA; a still image wider than `minWidth` (> 0) is scaled down
    /// to it while decoding (never held at full size).
    public static func decode(_ data: [UInt8], minWidth: Int = 0, maxPixels: Int) throws(ImagingError) -> PixelBuffer {
        try ShimDecoder.decode { pixels, width, height, channels, message in
            data.withUnsafeBufferPointer { bytes in
                mm_webp_decode(
                    bytes.baseAddress, bytes.count, Int32(max(0, minWidth)), UInt64(max(maxPixels, 0)), pixels,
                    width, height, channels, message)
            }
        }
    }

    /// Encodes RGB or RGBA pixels, lossy at `quality` or lossless, with `iccProfile` in an
    /// ICCP chunk when given.
    public static func encode(
        _ image: PixelBuffer, quality: Int, lossless: Bool = false, iccProfile: [UInt8]? = nil
    ) throws(ImagingError) -> [UInt8] {
        try ShimEncoder.encode(image, iccProfile: iccProfile) { pixels, icc, iccSize, output, size, message in
            mm_webp_encode(
                pixels, Int32(image.width), Int32(image.height), Int32(image.channels), Int32(quality),
                lossless ? 1 : 0, icc, iccSize, output, size, message)
        }
    }
}
