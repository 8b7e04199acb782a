/// What `MediaStore.stage` took: nothing left to do (a directory published it), or uploads
/// waiting for `commit` (a bucket).
struct StagedFiles: Sendable {
    struct Upload: Sendable {
        enum Body: Sendable {
            /// A local file, uploaded streamed and removed once stored.
            case temporary(String)
            case bytes([UInt8])
        }

        var path: String
        var body: Body
        var sha256: String
    }

    /// Thumbnails first, the original last.
    var uploads: [Upload] = []
    /// Whether the store took the download's temporary file over (renamed it into place).
    var tookTemporary = false
}
