/// What to download for a reference: the origin first, then the proxy wrapper it came in, if any.
public struct ImageTarget: Sendable, Hashable {
    /// The URL to fetch first, percent-encoded and absolute.
    public var url: String
    /// The proxy-wrapped URL as written, fetched when the origin fails.
    public var wrapper: String?

    public init(url: String, wrapper: String? = nil) {
        self.url = url
        self.wrapper = wrapper
    }
}
