/// Why an image could not be probed, decoded or encoded.
public enum ImagingError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not an image at all (an HTML page, JSON, nothing).
    case notAnImage(String)
    /// An image, but broken or truncated.
    case corrupt(String)
    /// A valid image this build cannot decode (12-bit JPEG, a format without a decoder).
    case unsupported(String)
    /// Over the pixel budget: decoding it could exhaust memory.
    case tooLarge(String)
    /// Memory could not be allocated.
    case outOfMemory(String)

    public var description: String {
        switch self {
        case .notAnImage(let message): return "not an image: \(message)"
        case .corrupt(let message): return "corrupt image: \(message)"
        case .unsupported(let message): return "unsupported image: \(message)"
        case .tooLarge(let message): return "image too large: \(message)"
        case .outOfMemory(let message): return "out of memory: \(message)"
        }
    }

    /// A short class name for reports.
    public var failureClass: String {
        switch self {
        case .notAnImage: return "not_an_image"
        case .corrupt: return "corrupt_image"
        case .unsupported: return "unsupported_image"
        case .tooLarge: return "image_too_large"
        case .outOfMemory: return "out_of_memory"
        }
    }

    /// Maps a C shim status to an error; nil for success.
    static func fromShim(_ status: Int32, message: String) -> ImagingError? {
        switch status {
        case 0: return nil
        case 2: return .unsupported(message)
        case 3: return .tooLarge(message)
        case 4: return .outOfMemory(message)
        default: return .corrupt(message.isEmpty ? "decoder failed" : message)
        }
    }
}
