internal import CCodecShims

/// The Swift side of the shims' whole-image decoders: each fills a malloc'd pixel buffer and
/// its geometry, copied out and freed here.
enum ShimDecoder {
    typealias Call = (
        _ pixels: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, _ width: UnsafeMutablePointer<Int32>,
        _ height: UnsafeMutablePointer<Int32>, _ channels: UnsafeMutablePointer<Int32>,
        _ message: UnsafeMutablePointer<CChar>
    ) -> Int32

    static func decode(_ call: Call) throws(ImagingError) -> PixelBuffer {
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0
        var height: Int32 = 0
        var channels: Int32 = 0
        var message = ShimMessage()
        let status = message.withBuffer { text in call(&pixels, &width, &height, &channels, text) }
        defer { mm_free(pixels) }
        if let error = ImagingError.fromShim(status, message: message.text) { throw error }
        guard let pixels, width > 0, height > 0, channels == 3 || channels == 4 else {
            throw .corrupt("decoder returned no pixels")
        }
        let count = Int(width) * Int(height) * Int(channels)
        return PixelBuffer(
            width: Int(width), height: Int(height), channels: Int(channels),
            pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }
}
