import Crypto

/// The SHA-256 of one transfer's body, computed on the body hasher's thread from what the curl
/// thread wrote. Touched only on the hasher's thread (jobs reach it in order through the
/// hasher's queue), hence `@unchecked Sendable`.
final class BodyDigest: @unchecked Sendable {
    let descriptor: Int32
    var hasher = SHA256()
    var failure: FetchFailure?

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }
}
