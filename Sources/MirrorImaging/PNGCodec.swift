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
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = ShimMessage()
        let profile = iccProfile ?? []
        let status = image.pixels.withUnsafeBufferPointer { buffer in
            profile.withUnsafeBufferPointer { icc in
                message.withBuffer { text in
                    mm_png_encode(
                        buffer.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels),
                        icc.count > 0 ? icc.baseAddress : nil, icc.count, &output, &size, text)
                }
            }
        }
        defer { mm_free(output) }
        if let error = ImagingError.fromShim(status, message: message.text) { throw error }
        guard let output else { throw .corrupt("encoder returned no data") }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }
}
