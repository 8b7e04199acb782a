internal import CCodecShims

/// giflib through the shims.
public enum GIFCodec {
    /// The first frame on the logical screen, as RGBA (transparent outside the frame).
    public static func decode(_ data: [UInt8], maxPixels: Int) throws(ImagingError) -> PixelBuffer {
        try ShimDecoder.decode { pixels, width, height, channels, message in
            channels.pointee = 4
            return data.withUnsafeBufferPointer { bytes in
                mm_gif_decode(
                    bytes.baseAddress, bytes.count, UInt64(max(maxPixels, 0)), pixels, width, height, message)
            }
        }
    }
}
