import MirrorBucket
import MirrorStore

/// Why storing, reading or removing a file failed.
struct MediaStoreFailure: Error, Sendable, CustomStringConvertible {
    var message: String
    /// The media file system is full.
    var isDiskFull = false
    /// The bucket cannot be used at all now (unreachable, credentials refused, missing): the
    /// pass starts no more downloads.
    var storeUnavailable = false
    /// The bucket refused or failed the request (as opposed to a local file).
    var fromBucket = false

    var description: String { message }

    init(message: String, isDiskFull: Bool = false, storeUnavailable: Bool = false) {
        self.message = message
        self.isDiskFull = isDiskFull
        self.storeUnavailable = storeUnavailable
    }

    init(_ failure: AtomicFile.Failure) {
        self.init(message: "\(failure)", isDiskFull: failure.isDiskFull)
    }

    init(_ failure: BucketFailure) {
        self.init(
            message: failure.message,
            storeUnavailable: failure.kind == .unreachable || failure.kind == .credentials
                || failure.kind == .missingBucket)
        fromBucket = true
    }
}
