import MirrorConfig
import Synchronization

/// The configuration the daemon works with now. A reload applies every setting that can change
/// live (read at the start of each pass) and keeps the running value of the others, which need
/// a restart.
public final class LiveConfiguration: Sendable {
    public struct Change: Sendable, Equatable {
        /// Keys whose new value is in effect from the next pass.
        public var applied: [String]
        /// Keys that changed in the file but keep their running value until a restart.
        public var needRestart: [String]
    }

    private let value: Mutex<MirrorConfiguration>

    public init(_ configuration: MirrorConfiguration) {
        value = Mutex(configuration)
    }

    public var current: MirrorConfiguration {
        value.withLock { $0 }
    }

    public func apply(_ loaded: MirrorConfiguration) -> Change {
        value.withLock { running in
            let before = running.values
            let after = loaded.values
            let changed = after.keys.filter { before[$0] != after[$0] }.sorted()
            var next = loaded
            // Restart-only settings keep their running values.
            next.site.posts = running.site.posts
            next.site.media = running.site.media
            next.site.urlPrefix = running.site.urlPrefix
            next.state.database = running.state.database
            next.health.listen = running.health.listen
            next.daemon.watch = running.daemon.watch
            running = next
            return Change(
                applied: changed.filter { !MirrorConfiguration.restartOnlyKeys.contains($0) },
                needRestart: changed.filter { MirrorConfiguration.restartOnlyKeys.contains($0) })
        }
    }
}
