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
        var nextRetryAt: Date?

        enum CodingKeys: String, CodingKey {
            case postsPending = "posts_pending"
            case urlsFailed = "urls_failed"
            case nextRetryAt = "next_retry_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(postsPending, forKey: .postsPending)
            try container.encode(urlsFailed, forKey: .urlsFailed)
            try container.encode(nextRetryAt, forKey: .nextRetryAt)
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
        var error: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(enabled, forKey: .enabled)
            try container.encode(directories, forKey: .directories)
            try container.encode(events, forKey: .events)
            try container.encode(error, forKey: .error)
        }

        enum CodingKeys: String, CodingKey {
            case enabled, directories, events, error
        }
    }

    struct ConfigurationState: Sendable, Encodable {
        var file: String?
        var reloads: Int
        var lastReloadAt: Date?
        var reloadError: String?
        var restartRequired: [String]
        var values: [String: String]

        enum CodingKeys: String, CodingKey {
            case file, reloads
            case lastReloadAt = "last_reload_at"
            case reloadError = "reload_error"
            case restartRequired = "restart_required"
            case values
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try container.encode(reloads, forKey: .reloads)
            try container.encode(lastReloadAt, forKey: .lastReloadAt)
            try container.encode(reloadError, forKey: .reloadError)
            try container.encode(restartRequired, forKey: .restartRequired)
            try container.encode(values, forKey: .values)
        }
    }

    var version = MediamirrorVersion.current
    var pid = Int(getpid())
    var startedAt: Date
    var uptimeSeconds: Double
    var ready: Bool
    /// Why the daemon is not ready, when it is not.
    var notReady: String?
    var syncing: Bool
    var progress: Progress?
    var passes: Int
    var lastPass: PassRecord?
    var lastSuccessAt: Date?
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

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(pid, forKey: .pid)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(uptimeSeconds, forKey: .uptimeSeconds)
        try container.encode(ready, forKey: .ready)
        try container.encode(notReady, forKey: .notReady)
        try container.encode(syncing, forKey: .syncing)
        try container.encode(progress, forKey: .progress)
        try container.encode(passes, forKey: .passes)
        try container.encode(lastPass, forKey: .lastPass)
        try container.encode(lastSuccessAt, forKey: .lastSuccessAt)
        try container.encode(backlog, forKey: .backlog)
        try container.encode(counts, forKey: .counts)
        try container.encode(failingHosts, forKey: .failingHosts)
        try container.encode(disk, forKey: .disk)
        try container.encode(watcher, forKey: .watcher)
        try container.encode(configuration, forKey: .configuration)
    }
}
