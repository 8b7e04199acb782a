internal import CCodecShims

/// The Swift side of the shims' encoders: each takes the pixels, an optional ICC profile and a
/// message buffer, and hands back a malloc'd buffer that is copied out and freed here.
enum ShimEncoder {
    /// One encoder call: the pixels, the profile (nil when there is none) and its length, where
    /// to put the output and its size, the message buffer; returns the shim's status.
    typealias Call = (
        _ pixels: UnsafePointer<UInt8>?, _ icc: UnsafePointer<UInt8>?, _ iccSize: Int,
        _ output: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, _ outputSize: UnsafeMutablePointer<Int>,
        _ message: UnsafeMutablePointer<CChar>
    ) -> Int32

    static func encode(_ image: PixelBuffer, iccProfile: [UInt8]?, _ call: Call) throws(ImagingError) -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = ShimMessage()
        let profile = iccProfile ?? []
        let status = image.pixels.withUnsafeBufferPointer { buffer in
            profile.withUnsafeBufferPointer { icc in
                message.withBuffer { text in
                    call(buffer.baseAddress, icc.count > 0 ? icc.baseAddress : nil, icc.count, &output, &size, text)
                }
            }
        }
        defer { mm_free(output) }
        if let error = ImagingError.fromShim(status, message: message.text) { throw error }
        guard let output else { throw .corrupt("encoder returned no data") }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }
}
