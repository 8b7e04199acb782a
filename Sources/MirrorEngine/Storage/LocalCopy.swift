import Foundation

/// A local file with the stored bytes of a path: the stored file itself (a directory) or a
/// downloaded scratch copy (a bucket) removed by `release`.
struct LocalCopy: Sendable {
    var path: String
    var isScratch: Bool

    func release() {
        if isScratch { unlink(path) }
    }
}
