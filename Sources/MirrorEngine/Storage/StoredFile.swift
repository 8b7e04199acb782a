/// What a store has at a path.
struct StoredFile: Sendable, Equatable {
    var bytes: Int
    /// Known without reading the file (a bucket's recorded `x-amz-meta-sha256`), else nil.
    var sha256: String?
}
