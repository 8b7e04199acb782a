/// Where a pass is: for the daemon's status and watchdog, and a terminal's progress line.
public struct SyncProgress: Sendable, Equatable {
    public enum Phase: String, Sendable, Codable {
        case scanning, fetching, rewriting, done
    }

    public var phase: Phase = .scanning
    public var postsScanned = 0
    public var urls = 0
    public var urlsSettled = 0
    public var urlsFailed = 0
    public var bytesDownloaded = 0
    public var postsRewritten = 0

    public init() {}
}
