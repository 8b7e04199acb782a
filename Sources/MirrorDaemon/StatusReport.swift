import Foundation
import MirrorConfig
import MirrorEngine
import MirrorFetch
import MirrorStore

/// `GET /status`: everything an operator asks about a running daemon, as one JSON object with
/// a fixed shape (absent values are null).
struct StatusReport: Sendable, Encodable {
    struct Progress: Sendable, Encodable {
        var phase: String
        var startedAt: Date?
        var postsScanned: Int
        var urls: Int
        var urlsSettled: Int
        var urlsFailed: Int
        var bytesDownloaded: Int
        var postsRewritten: Int

        enum CodingKeys: String, CodingKey {
            case phase
            case startedAt = "started_at"
            case postsScanned = "posts_scanned"
            case urls
            case urlsSettled = "urls_settled"
            case urlsFailed = "urls_failed"
            case bytesDownloaded = "bytes_downloaded"
            case postsRewritten = "posts_rewritten"
        }
    }

    struct Backlog: Sendable, Encodable {
        var postsPending: Int
        var urlsFailed: Int
        @NullWhenAbsent var nextRetryAt: Date?

        enum CodingKeys: String, CodingKey {
            case postsPending = "posts_pending"
            case urlsFailed = "urls_failed"
            case nextRetryAt = "next_retry_at"
        }
    }

    struct Counts: Sendable, Encodable {
        var posts: Int
        var references: Int
        var referencesMirrored: Int
        var urlsMirrored: Int
        var urlsFailed: Int
        var assets: Int
        var thumbnails: Int

        enum CodingKeys: String, CodingKey {
            case posts, references
            case referencesMirrored = "references_mirrored"
            case urlsMirrored = "urls_mirrored"
            case urlsFailed = "urls_failed"
            case assets, thumbnails
        }
    }

    struct FailingHost: Sendable, Encodable {
        var host: String
        var urls: Int
    }

    struct Watcher: Sendable, Encodable {
        var enabled: Bool
        var directories: Int
        var events: Int
        @NullWhenAbsent var error: String?

    }

    struct ConfigurationState: Sendable, Encodable {
        @NullWhenAbsent var file: String?
        var reloads: Int
        @NullWhenAbsent var lastReloadAt: Date?
        @NullWhenAbsent var reloadError: String?
        var restartRequired: [String]
        var values: [String: String]

        enum CodingKeys: String, CodingKey {
            case file, reloads
            case lastReloadAt = "last_reload_at"
            case reloadError = "reload_error"
            case restartRequired = "restart_required"
            case values
        }
    }

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

    enum CodingKeys: String, CodingKey {
        case version, pid
        case startedAt = "started_at"
        case uptimeSeconds = "uptime_seconds"
        case ready
        case notReady = "not_ready"
        case syncing, progress, passes
        case lastPass = "last_pass"
        case lastSuccessAt = "last_success_at"
        case backlog, counts
        case failingHosts = "failing_hosts"
        case disk, watcher, configuration
    }
}
