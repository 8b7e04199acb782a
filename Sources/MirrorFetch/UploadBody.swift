/// The body of a PUT: bytes in memory, or `size` bytes of an open file read from offset 0
/// (streamed, never loaded whole). A retry starts again from the beginning.
public enum UploadBody: Sendable {
    case bytes([UInt8])
    case file(descriptor: Int32, size: Int)

    public var size: Int {
        switch self {
        case .bytes(let bytes): return bytes.count
        case .file(_, let size): return size
        }
    }
}
