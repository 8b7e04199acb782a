import Foundation
import MirrorConfig
import MirrorEngine
import MirrorFetch
import MirrorStore

/// `GET /status`: everything an operator asks about a running daemon, as one JSON object with
/// a fixed shape (absent values are null).
struct StatusReport: Sendable, Encodable {
    var version = MediamirrorVersion.current
    var pid = Int(getpid())
    var startedAt: Date
    var uptimeSeconds: Double
    var ready: Bool
    /// Why the daemon is not ready, when it is not.
    @NullWhenAbsent var notReady: String?
    var syncing: Bool
    @NullWhenAbsent var progress: Progress?
    var passes: Int
    @NullWhenAbsent var lastPass: PassRecord?
    @NullWhenAbsent var lastSuccessAt: Date?
    var backlog: Backlog
    var counts: Counts
    var failingHosts: [FailingHost]
    var disk: DiskSpace
    var watcher: Watcher
    var configuration: ConfigurationState
}
