import Foundation
import Logging
import Metrics
import MirrorConfig
import MirrorEngine
import MirrorStore
import ServiceLifecycle
import Synchronization

/// The work loop: waits for a reason to sync (the server coming up, a change in the posts tree,
/// the periodic rescan, a failed URL's retry time, a reload), runs one pass at a time, records
/// how it went. No pass starts before the daemon is started (manifest open, server listening).
/// On graceful shutdown it takes no new work, and a pass in progress starts no new downloads and
/// rewrites posts for what settled; the service group cancels it once `daemon.stop_timeout` has
/// passed, and cancellation abandons the pass at once.
struct SyncWorker: Service {
    let configuration: LiveConfiguration
    let manifest: Manifest
    let trigger: SyncTrigger
    let changes: ChangedPosts
    let state: DaemonState
    let heartbeat: Heartbeat
    let logger: Logger

    /// How often the idle loop wakes up to beat and check its schedules.
    static let tick = Duration.seconds(1)

    private final class Stopping: Sendable {
        let requested = Atomic<Bool>(false)
        var isSet: Bool { requested.load(ordering: .acquiring) }
    }

    func run() async throws {
        let stopping = Stopping()
        await withGracefulShutdownHandler {
            await loop(stopping)
        } onGracefulShutdown: {
            stopping.requested.store(true, ordering: .releasing)
            trigger.close()
        }
    }

    private func loop(_ stopping: Stopping) async {
        var nextScan = ContinuousClock.now + .seconds(configuration.current.daemon.rescanInterval)
        var nextRetry: Date?
        var waiting: [String] = []
        while !stopping.isSet && !Task.isCancelled {
            heartbeat.beat(within: Self.tick * 5)
            for reason in await trigger.next(timeout: Self.tick) ?? [] where !waiting.contains(reason) {
                waiting.append(reason)
            }
            if stopping.isSet || Task.isCancelled { break }
            guard state.isStarted else { continue }
            // The periodic walk is due whatever else asks for a pass: passes the watcher asks
            // for do not walk, so they must not put it off.
            if ContinuousClock.now >= nextScan, !waiting.contains("scheduled") { waiting.append("scheduled") }
            if waiting.isEmpty {
                guard let retry = nextRetry, retry <= Date() else { continue }
                waiting = ["retry"]
            }
            let reasons = waiting
            waiting = []
            if await pass(reasons: reasons, stopping) {
                nextScan = ContinuousClock.now + .seconds(configuration.current.daemon.rescanInterval)
            }
            nextRetry = scheduledRetry()
        }
    }

    private func scheduledRetry() -> Date? {
        do {
            return try manifest.nextRetry().map { Date(timeIntervalSince1970: $0 + 1) }
        } catch {
            logger.warning("cannot read the retry schedule: \(error)")
            return nil
        }
    }

    /// Runs one pass; true when it walked the whole tree.
    @discardableResult
    private func pass(reasons: [String], _ stopping: Stopping) async -> Bool {
        let configuration = configuration.current
        let startedAt = Date()
        let clock = ContinuousClock.now
        state.update {
            $0.progress = SyncProgress()
            $0.passStartedAt = startedAt
        }
        logger.info("pass starting", metadata: ["reasons": "\(reasons.joined(separator: ","))"])
        // A pass may wait on one slow transfer for a while; the watchdog allows that much.
        let stallAllowance = Duration.seconds(
            configuration.fetch.timeout * configuration.fetch.attempts + 30 * configuration.fetch.attempts + 60)
        let state = self.state
        let heartbeat = self.heartbeat
        var options = SyncEngine.Options(
            progress: { progress in
                heartbeat.beat(within: stallAllowance)
                state.update { $0.progress = progress }
            },
            shouldStop: { stopping.isSet })
        options.manifest = manifest
        options.holdsWriterLock = true
        // Only the watcher's reasons: the posts it saw change are all that can have changed
        // (the others are up to date, or pending and read anyway).
        let changed = changes.take()
        if case .posts(let paths) = changed, reasons.allSatisfy({ $0 == "changed" }) {
            options.onlyPosts = paths
        }
        let walked = options.onlyPosts == nil
        if configuration.daemon.revalidateInterval > 0 {
            options.revalidateOlderThan = Double(configuration.daemon.revalidateInterval)
            options.revalidateLimit = 200
        }
        let result: Result<SyncSummary, any Error>
        do {
            result = .success(
                try await SyncEngine(EngineContext(configuration: configuration, logger: logger)).run(options))
        } catch {
            result = .failure(error)
        }
        let record = PassRecord(startedAt: startedAt, reasons: reasons, result: result)
        // What a pass could not finish with is looked at again by the next one: the changes it
        // took (if it failed) and, after problems with posts, the whole tree.
        switch result {
        case .success(let summary) where summary.problems.contains(where: { $0.kind.needsAnotherLook }):
            changes.add(.everything)
        case .failure(let error) where !(error is CancellationError):
            changes.add(changed)
        default:
            break
        }
        log(record, result)
        Counter(label: "mediamirror_passes_total", dimensions: [("outcome", record.outcome.rawValue)]).increment()
        Metrics.Timer(label: "mediamirror_pass_duration_seconds").record(duration: ContinuousClock.now - clock)
        let succeeded = record.outcome == .ok || record.outcome == .someFailed
        if succeeded {
            Gauge(label: "mediamirror_last_success_timestamp_seconds").record(record.finishedAt.timeIntervalSince1970)
        }
        state.update {
            $0.progress = nil
            $0.passStartedAt = nil
            $0.passes += 1
            $0.lastPass = record
            $0.recentPasses = Array(([record] + $0.recentPasses).prefix(10))
            if record.outcome != .cancelled { $0.firstPassFinished = true }
            if succeeded { $0.lastSuccessAt = record.finishedAt }
        }
        return walked && succeeded
    }

    private func log(_ record: PassRecord, _ result: Result<SyncSummary, any Error>) {
        switch result {
        case .success(let summary):
            let level: Logger.Level = summary.postsRewritten > 0 || summary.urlsFetched > 0 ? .notice : .info
            logger.log(
                level: level, "pass finished",
                metadata: [
                    "posts_scanned": "\(summary.postsScanned)", "posts_rewritten": "\(summary.postsRewritten)",
                    "urls_fetched": "\(summary.urlsFetched)", "urls_failed": "\(summary.urlsFailed)",
                    "seconds": "\(String(format: "%.2f", summary.seconds))",
                ])
            for problem in summary.problems.prefix(20) {
                logger.warning("\(problem.subject): \(problem.kind): \(problem.message)")
            }
        case .failure:
            if record.outcome == .cancelled {
                logger.notice("pass cancelled by shutdown")
            } else {
                logger.error("pass failed: \(record.error ?? "unknown error")")
            }
        }
    }
}
