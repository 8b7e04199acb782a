/// Why a TOML front matter could not be read, and where.
struct TOMLError: Error {
    var message: String
    /// The byte offset in the post.
    var offset: Int
}
