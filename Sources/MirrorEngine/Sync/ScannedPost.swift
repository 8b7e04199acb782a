import MirrorPosts

/// A post as read at scan time: its bytes are what a rewrite must still find on disk.
struct ScannedPost: Sendable {
    /// Relative to the posts directory (how reports name it).
    var relativePath: String
    var path: String
    var bytes: [UInt8]
    var references: [ImageReference]
    /// The byte ranges of the post's `<img>`/`<source>` start tags, by element number, as the
    /// scan found them: element edits parse only the tags they change.
    var elements: [Range<Int>]

    init(relativePath: String, path: String, bytes: [UInt8], scan: PostScan) {
        self.relativePath = relativePath
        self.path = path
        self.bytes = bytes
        self.references = scan.references
        self.elements = scan.elements
    }
}
