import Foundation
import Logging
import Metrics
import MirrorEngine
import MirrorStore
import ServiceLifecycle
import Synchronization

/// The work loop: waits for a reason to sync (a change in the posts tree, the periodic rescan,
/// a failed URL's retry time, a reload), runs one pass at a time, records how it went.
/// On shutdown it takes no new work; a pass in progress starts no new downloads, may finish
/// what is in flight for `daemon.stop_timeout` seconds, and is then cancelled.
struct SyncWorker: Service {
    let configuration: LiveConfiguration
    let manifest: Manifest
    let trigger: SyncTrigger
    let state: DaemonState
    let heartbeat: Heartbeat
    let logger: Logger

    /// How often the idle loop wakes up to beat and check its schedules.
    static let tick = Duration.seconds(1)

    private final class CurrentPass: Sendable {
        let stopRequested = Atomic<Bool>(false)
        let task = Mutex<Task<SyncSummary, any Error>?>(nil)
    }

    func run() async throws {
        let current = CurrentPass()
        trigger.request("startup")
        await withGracefulShutdownHandler {
            await loop(current)
        } onGracefulShutdown: {
            current.stopRequested.store(true, ordering: .releasing)
            trigger.close()
            let grace = configuration.current.daemon.stopTimeout
            if let task = current.task.withLock({ $0 }) {
                Task {
                    try? await Task.sleep(for: .seconds(grace))
                    task.cancel()
                }
            }
        }
    }

    private func loop(_ current: CurrentPass) async {
        var nextScan = ContinuousClock.now + .seconds(configuration.current.daemon.rescanInterval)
        var nextRetry: Date?
        while !current.stopRequested.load(ordering: .acquiring) {
            heartbeat.beat(within: Self.tick * 5)
            var reasons = await trigger.next(timeout: Self.tick) ?? []
            if current.stopRequested.load(ordering: .acquiring) { break }
            if reasons.isEmpty {
                if ContinuousClock.now >= nextScan {
                    reasons = ["scheduled"]
                } else if let retry = nextRetry, retry <= Date() {
                    reasons = ["retry"]
                } else {
                    continue
                }
            }
            await pass(reasons: reasons, current)
            nextScan = ContinuousClock.now + .seconds(configuration.current.daemon.rescanInterval)
            nextRetry = (try? manifest.nextRetry()).flatMap { $0 }.map { Date(timeIntervalSince1970: $0 + 1) }
        }
    }

    private func pass(reasons: [String], _ current: CurrentPass) async {
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
            shouldStop: { current.stopRequested.load(ordering: .acquiring) })
        if configuration.daemon.revalidateInterval > 0 {
            options.revalidateOlderThan = Double(configuration.daemon.revalidateInterval)
            options.revalidateLimit = 200
        }
        let engine = SyncEngine(configuration: configuration, logger: logger)
        let task = Task { try await engine.run(options) }
        current.task.withLock { $0 = task }
        let result = await task.result
        current.task.withLock { $0 = nil }

        let record: PassRecord
        switch result {
        case .success(let summary):
            let failed = summary.referencesFailed > 0 || summary.problems.contains { $0.kind != "scan" }
            record = PassRecord(
                startedAt: startedAt, finishedAt: Date(), outcome: failed ? .someFailed : .ok, reasons: reasons,
                summary: summary, error: nil)
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
        case .failure(let error as SyncError):
            record = PassRecord(
                startedAt: startedAt, finishedAt: Date(), outcome: .error, reasons: reasons, summary: nil,
                error: error.description)
            logger.error("pass failed: \(error.description)")
        case .failure(is CancellationError):
            record = PassRecord(
                startedAt: startedAt, finishedAt: Date(), outcome: .cancelled, reasons: reasons, summary: nil,
                error: "stopped by shutdown")
            logger.notice("pass cancelled by shutdown")
        case .failure(let error):
            record = PassRecord(
                startedAt: startedAt, finishedAt: Date(), outcome: .error, reasons: reasons, summary: nil,
                error: "\(error)")
            logger.error("pass failed: \(error)")
        }
        Counter(label: "mediamirror_passes_total", dimensions: [("outcome", record.outcome.rawValue)]).increment()
        Metrics.Timer(label: "mediamirror_pass_duration_seconds").record(duration: ContinuousClock.now - clock)
        if record.outcome == .ok || record.outcome == .someFailed {
            Gauge(label: "mediamirror_last_success_timestamp_seconds").record(record.finishedAt.timeIntervalSince1970)
        }
        state.update {
            $0.progress = nil
            $0.passStartedAt = nil
            $0.passes += 1
            $0.lastPass = record
            if record.outcome != .cancelled { $0.firstPassFinished = true }
            if record.outcome == .ok || record.outcome == .someFailed { $0.lastSuccessAt = record.finishedAt }
        }
    }
}
