internal import CCodecShims

/// libpng through the shims.
public enum PNGCodec {
    /// Decodes any PNG to straight-alpha RGBA8.
    public static func decode(_ data: [UInt8], maxPixels: Int) throws(ImagingError) -> PixelBuffer {
        try data.withUnsafeBufferPointer { bytes throws(ImagingError) in
            try ImageRowReader(png: bytes, maxPixels: maxPixels, alwaysAlpha: true).readAll()
        }
    }

    /// Encodes RGB or RGBA pixels at zlib level 6.
    /// `iccProfile`: embedded in an iCCP chunk (left out if libpng finds it inconsistent).
    public static func encode(_ image: PixelBuffer, iccProfile: [UInt8]? = nil) throws(ImagingError) -> [UInt8] {
        try ShimEncoder.encode(image, iccProfile: iccProfile) { pixels, icc, iccSize, output, size, message in
            mm_png_encode(
                pixels, Int32(image.width), Int32(image.height), Int32(image.channels), icc, iccSize, output, size,
                message)
        }
    }
}
