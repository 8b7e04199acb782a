/// Something that went wrong for one post or one URL; the rest of the run went on.
public struct SyncProblem: Sendable, Codable, Equatable {
    /// The post path (relative to the posts directory) or the URL.
    public var subject: String
    /// A short class: a fetch failure kind, `not_an_image`, `scan`, `rewrite`…
    public var kind: FailureClass
    public var message: String

    public init(subject: String, kind: FailureClass, message: String) {
        self.subject = subject
        self.kind = kind
        self.message = message
    }
}
