/// `rescue.*`: asking web archives for images whose origin has lost them. Off by default: it
/// sends the failed image URLs (never the posts) to the archives listed.
public struct RescueSettings: Sendable, Equatable {
    public var enabled: Bool
    /// Asked in order; the first with a usable capture wins.
    public var archives: [ArchiveEndpoint]
    /// Requests in flight at once to one archive host.
    public var perHost: Int

    public init(
        enabled: Bool = false,
        archives: [ArchiveEndpoint] = [
            ArchiveEndpoint(text: "wayback", kind: .wayback, url: ArchiveEndpoint.internetArchive)
        ],
        perHost: Int = 1
    ) {
        self.enabled = enabled
        self.archives = archives
        self.perHost = perHost
    }
}
