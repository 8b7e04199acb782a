/// Something that went wrong for one post or one URL; the rest of the run went on.
/// Made only inside the engine, with the memberwise initializer.
public struct SyncProblem: Sendable, Codable, Equatable {
    /// The post path (relative to the posts directory) or the URL.
    public var subject: String
    /// A short class: a fetch failure kind, `not_an_image`, `scan`, `rewrite`…
    public var kind: FailureClass
    public var message: String
}
