/// What a HEAD of an object says about it.
public struct ObjectHead: Sendable, Equatable {
    public var bytes: Int
    /// The SHA-256 recorded at upload (`x-amz-meta-sha256`), when the store kept it.
    public var sha256: String?
    public var contentType: String?
}
