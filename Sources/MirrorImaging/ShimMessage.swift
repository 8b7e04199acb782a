internal import CCodecShims

/// The fixed-size message buffer the C shims fill on error.
struct ShimMessage {
    private var storage = [CChar](repeating: 0, count: 200)

    mutating func withBuffer<Result>(_ body: (UnsafeMutablePointer<CChar>) -> Result) -> Result {
        storage.withUnsafeMutableBufferPointer { buffer in
            // The array is never empty, so the base address exists.
            body(buffer.baseAddress.unsafelyUnwrapped)
        }
    }

    var text: String {
        let bytes = storage.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
