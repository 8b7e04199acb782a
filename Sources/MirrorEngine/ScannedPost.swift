import MirrorPosts

/// A post as read at scan time: its bytes are what a rewrite must still find on disk.
struct ScannedPost: Sendable {
    /// Relative to the posts directory (how reports name it).
    var relativePath: String
    var path: String
    var bytes: [UInt8]
    var references: [ImageReference]
}
