import Crypto
import MirrorFetch

extension Array where Element == UInt8 {
    /// Lower-case hex SHA-256, as stored file names and the manifest spell it.
    var sha256Hex: String {
        SHA256.hash(data: self).lowercaseHex
    }
}
