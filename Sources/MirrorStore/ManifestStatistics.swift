/// Counts the daemon's status page shows, read in one transaction.
public struct ManifestStatistics: Sendable, Equatable {
    public var posts = 0
    /// Posts with references not (yet) pointing at a local copy.
    public var postsPending = 0
    public var references = 0
    public var referencesMirrored = 0
    public var urlsMirrored = 0
    public var urlsFailed = 0
    public var assets = 0
    public var thumbnails = 0
    /// When the earliest failed URL may be tried again (Unix time), if any waits.
    public var nextRetry: Double?
    /// Failed URLs, for grouping by host.
    public var failedURLs: [String] = []

    public init() {}
}
