import Foundation
import MirrorConfig
import MirrorEngine
import MirrorFetch
import MirrorStore

/// Puts together what `/status`, `/readyz` and the systemd STATUS line say.
struct StatusBuilder: Sendable {
    let state: DaemonState
    let configuration: LiveConfiguration
    let manifest: Manifest
    let heartbeat: Heartbeat
    /// A bucket's reachability and writability (a directory's are the disk checks).
    let store: StoreReadiness

    func readinessProblem() async -> String? {
        let configuration = configuration.current
        if let problem = Readiness.problem(
            state: state.snapshot, disk: DiskSpace.of(StoreReadiness.localDirectory(for: configuration)),
            configuration: configuration)
        {
            return problem
        }
        return await store.problem()
    }

    func report() -> StatusReport {
        let snapshot = state.snapshot
        let configuration = configuration.current
        let disk = DiskSpace.of(StoreReadiness.localDirectory(for: configuration))
        let statistics = (try? manifest.statistics()) ?? ManifestStatistics()
        var byHost: [String: Int] = [:]
        for url in statistics.failedURLs {
            byHost[URLOrigin.host(of: url) ?? "(no host)", default: 0] += 1
        }
        let failingHosts = byHost.map { StatusReport.FailingHost(host: $0.key, urls: $0.value) }
            .sorted { ($0.urls, $1.host) > ($1.urls, $0.host) }
        let progress = snapshot.progress.map {
            StatusReport.Progress(
                phase: $0.phase.rawValue, startedAt: snapshot.passStartedAt, postsScanned: $0.postsScanned,
                urls: $0.urls, urlsSettled: $0.urlsSettled, urlsFailed: $0.urlsFailed,
                bytesDownloaded: $0.bytesDownloaded, postsRewritten: $0.postsRewritten)
        }
        let notReady =
            Readiness.problem(state: snapshot, disk: disk, configuration: configuration) ?? store.lastProblem
        return StatusReport(
            startedAt: snapshot.startedAt,
            uptimeSeconds: Date().timeIntervalSince(snapshot.startedAt),
            ready: notReady == nil,
            notReady: notReady,
            syncing: snapshot.progress != nil,
            progress: progress,
            passes: snapshot.passes,
            lastPass: snapshot.lastPass,
            lastSuccessAt: snapshot.lastSuccessAt,
            backlog: StatusReport.Backlog(
                postsPending: statistics.postsPending, urlsFailed: statistics.urlsFailed,
                nextRetryAt: statistics.nextRetry.map { Date(timeIntervalSince1970: $0) }),
            counts: StatusReport.Counts(
                posts: statistics.posts, references: statistics.references,
                referencesMirrored: statistics.referencesMirrored, urlsMirrored: statistics.urlsMirrored,
                urlsFailed: statistics.urlsFailed, assets: statistics.assets, thumbnails: statistics.thumbnails),
            failingHosts: Array(failingHosts.prefix(50)),
            disk: disk,
            watcher: StatusReport.Watcher(
                enabled: configuration.daemon.watch, directories: snapshot.watchedDirectories,
                events: snapshot.watcherEvents, error: snapshot.watcherError),
            configuration: StatusReport.ConfigurationState(
                file: configuration.sourcePath, reloads: snapshot.reloads, lastReloadAt: snapshot.lastReloadAt,
                reloadError: snapshot.reloadError, restartRequired: snapshot.restartRequired,
                values: configuration.values))
    }

    /// One line for systemd's STATUS=.
    func statusLine() -> String {
        let snapshot = state.snapshot
        if snapshot.stopping { return "stopping" }
        if let progress = snapshot.progress {
            switch progress.phase {
            case .scanning: return "scanning posts: \(progress.postsScanned) read"
            case .fetching:
                return "fetching: \(progress.urlsSettled)/\(progress.urls) URLs settled, \(progress.urlsFailed) failed"
            case .rewriting, .done: return "rewriting posts: \(progress.postsRewritten) rewritten"
            }
        }
        guard let last = snapshot.lastPass else { return "starting" }
        return
            "idle; last pass \(last.outcome.rawValue): \(last.postsRewritten) posts rewritten, \(last.urlsFetched) URLs fetched, \(last.urlsFailed) failed"
    }
}
