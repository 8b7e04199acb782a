import Foundation
import Logging
import ServiceLifecycle

/// The watcher as a service: runs `InotifyWatcher` on its own thread until shutdown and asks
/// for a pass whenever the posts tree changed.
struct PostsWatcher: Service {
    let posts: String
    let media: String
    let debounce: Duration
    let trigger: SyncTrigger
    let changes: ChangedPosts
    let state: DaemonState
    let logger: Logger

    func run() async throws {
        let excluded = media.hasPrefix(posts + "/") ? media : nil
        let state = self.state
        let trigger = self.trigger
        let changes = self.changes
        let watcher: InotifyWatcher
        do {
            watcher = try InotifyWatcher(
                root: posts, excluded: excluded, debounce: debounce, logger: logger
            ) { directories, events, changed in
                state.update {
                    $0.watchedDirectories = directories
                    $0.watcherEvents = events
                }
                changes.add(changed)
                trigger.request("changed")
            }
        } catch {
            // The periodic rescans still run; the status page says why changes are not seen.
            let message =
                (error as? InotifyWatcher.Failure)?.errno == ENOSPC ? InotifyWatcher.limitMessage(posts) : "\(error)"
            logger.warning("watcher: \(message); only periodic rescans will run")
            state.update { $0.watcherError = message }
            try? await gracefulShutdown()
            return
        }
        state.update { $0.watchedDirectories = watcher.watchedDirectories }
        // A post written while the watches were being set up may have been missed by the
        // first pass's walk: one more walk now that every directory is watched.
        changes.add(.everything)
        trigger.request("watching")
        logger.info("watching \(posts) (\(watcher.watchedDirectories) directories)")
        let thread = Thread { watcher.run() }
        thread.name = "mediamirror-watcher"
        thread.start()
        try? await gracefulShutdown()
        watcher.stop()
    }
}
