import Foundation
import MirrorEngine

/// One finished sync pass, as the status page shows it.
public struct PassRecord: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        /// Every reference settled as mirrored (or skipped).
        case ok
        /// The pass ran, but some references failed; they are retried on their schedule.
        case someFailed = "some_failed"
        /// The pass could not run (manifest, posts directory, disk).
        case error
        /// Stopped by shutdown.
        case cancelled
    }

    public var startedAt: Date
    public var finishedAt: Date
    public var seconds: Double
    public var outcome: Outcome
    /// Why the pass ran: startup, changed, scheduled, retry, reload.
    public var reasons: [String]
    public var postsScanned: Int
    public var postsRewritten: Int
    public var urls: Int
    public var urlsFetched: Int
    public var urlsFailed: Int
    /// Written as null rather than left out: scripts read a fixed shape.
    @NullWhenAbsent public var error: String?

    init(
        startedAt: Date, finishedAt: Date, outcome: Outcome, reasons: [String], summary: SyncSummary?,
        error: String?
    ) {
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.seconds = finishedAt.timeIntervalSince(startedAt)
        self.outcome = outcome
        self.reasons = reasons
        self.postsScanned = summary?.postsScanned ?? 0
        self.postsRewritten = summary?.postsRewritten ?? 0
        self.urls = summary?.urls ?? 0
        self.urlsFetched = summary?.urlsFetched ?? 0
        self.urlsFailed = summary?.urlsFailed ?? 0
        self.error = error
    }
}

extension PassRecord {
    /// The record of a pass that ended with `result` just now.
    init(startedAt: Date, reasons: [String], result: Result<SyncSummary, any Error>) {
        switch result {
        case .success(let summary):
            self.init(
                startedAt: startedAt, finishedAt: Date(), outcome: summary.hasFailures ? .someFailed : .ok,
                reasons: reasons, summary: summary, error: nil)
        case .failure(let error as SyncError):
            self.init(
                startedAt: startedAt, finishedAt: Date(), outcome: .error, reasons: reasons, summary: nil,
                error: error.description)
        case .failure(is CancellationError):
            self.init(
                startedAt: startedAt, finishedAt: Date(), outcome: .cancelled, reasons: reasons, summary: nil,
                error: "stopped by shutdown")
        case .failure(let error):
            self.init(
                startedAt: startedAt, finishedAt: Date(), outcome: .error, reasons: reasons, summary: nil,
                error: "\(error)")
        }
    }
}
