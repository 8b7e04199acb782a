/// Everything found in one post.
public struct PostScan: Sendable {
    public var references: [ImageReference]
    /// Things the scanner could not handle, each with its line: reported, never guessed at.
    public var problems: [String]
    /// The byte ranges of the body's `<img>` and `<source>` start tags outside Markdown code,
    /// in order: the index of a range is the `element` number of its tag's references.
    public var elements: [Range<Int>]

    public init(references: [ImageReference], problems: [String], elements: [Range<Int>] = []) {
        self.references = references
        self.problems = problems
        self.elements = elements
    }
}
