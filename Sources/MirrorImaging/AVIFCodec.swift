internal import CCodecShims

/// libavif through the shims (Debian 12's 0.11: dav1d decodes, aom encodes).
public enum AVIFCodec {
    /// The primary image (a sequence's first frame) as RGB or RGBA.
    public static func decode(_ data: [UInt8], maxPixels: Int) throws(ImagingError) -> PixelBuffer {
        try ShimDecoder.decode { pixels, width, height, channels, message in
            data.withUnsafeBufferPointer { bytes in
                mm_avif_decode(
                    bytes.baseAddress, bytes.count, UInt64(max(maxPixels, 0)), pixels, width, height, channels, message)
            }
        }
    }

    /// Encodes RGB or RGBA pixels at `quality` (0–100) and `speed` (0 slowest … 10 fastest),
    /// with `iccProfile` when given.
    public static func encode(
        _ image: PixelBuffer, quality: Int, speed: Int, iccProfile: [UInt8]? = nil
    ) throws(ImagingError) -> [UInt8] {
        try ShimEncoder.encode(image, iccProfile: iccProfile) { pixels, icc, iccSize, output, size, message in
            mm_avif_encode(
                pixels, Int32(image.width), Int32(image.height), Int32(image.channels), Int32(quality), Int32(speed),
                icc, iccSize, output, size, message)
        }
    }
}
