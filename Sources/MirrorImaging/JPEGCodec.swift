import CShims

/// libjpeg-turbo through the setjmp-guarded shims.
public enum JPEGCodec {
    /// Decodes with DCT scaling by 1/`scaleDenominator` (1, 2, 4 or 8): shrink on load.
    public static func decode(
        _ data: [UInt8], scaleDenominator: Int = 1, maxPixels: Int
    ) throws(ImagingError)
        -> PixelBuffer
    {
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0
        var height: Int32 = 0
        var channels: Int32 = 0
        var message = ShimMessage()
        let status = data.withUnsafeBufferPointer { buffer in
            message.withBuffer { text in
                mm_jpeg_decode(
                    buffer.baseAddress, buffer.count, Int32(scaleDenominator), UInt64(max(maxPixels, 0)),
                    &pixels, &width, &height, &channels, text)
            }
        }
        defer { mm_free(pixels) }
        if let error = ImagingError.fromShim(status, message: message.text) { throw error }
        guard let pixels else { throw .corrupt("decoder returned no pixels") }
        let count = Int(width) * Int(height) * Int(channels)
        return PixelBuffer(
            width: Int(width), height: Int(height), channels: Int(channels),
            pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }

    /// Encodes RGB or gray pixels: 4:2:0, optimized Huffman tables, progressive, no metadata.
    public static func encode(
        _ image: PixelBuffer, quality: Int, progressive: Bool = true
    ) throws(ImagingError) -> [UInt8] {
        let source = image.channels == 4 ? image.droppingAlpha() : image
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = ShimMessage()
        let status = source.pixels.withUnsafeBufferPointer { buffer in
            message.withBuffer { text in
                mm_jpeg_encode(
                    buffer.baseAddress, Int32(source.width), Int32(source.height), Int32(source.channels),
                    Int32(quality),
                    progressive ? 1 : 0, &output, &size, text)
            }
        }
        defer { mm_free(output) }
        if let error = ImagingError.fromShim(status, message: message.text) { throw error }
        guard let output else { throw .corrupt("encoder returned no data") }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }
}
