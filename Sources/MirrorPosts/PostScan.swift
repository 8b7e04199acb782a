/// Everything found in one post.
public struct PostScan: Sendable {
    public var references: [ImageReference]
    /// Things the scanner could not handle, each with its line: reported, never guessed at.
    public var problems: [String]

    public init(references: [ImageReference], problems: [String]) {
        self.references = references
        self.problems = problems
    }
}
