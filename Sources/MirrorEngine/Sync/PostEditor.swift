import Foundation
import MirrorPosts
import MirrorStore

/// The edit stage: each post is planned and rewritten as soon as every URL it names is settled,
/// so a long run makes progress post by post. Ready posts are taken in small batches whose
/// write-ahead intents go to the manifest in one durable transaction (one sync for the batch),
/// and only then are the posts themselves replaced.
struct PostEditor {
    private let posts: [ScannedPost]
    private let planner: RewritePlanner
    private let committer: PostCommitter
    private let manifest: Manifest?
    private var waiting: PostSettlement
    private(set) var settled: [String: SettledURL] = [:]
    private var batch: [Int] = []
    private var lastFlush = ContinuousClock.now
    /// What the edits came to, for the run's summary.
    private(set) var tally = EditTally()

    /// Posts per durable intent write, and the longest a ready post waits for its batch.
    static let batchSize = 32
    static let batchDelay = Duration.milliseconds(100)

    init(posts: [ScannedPost], planner: RewritePlanner, committer: PostCommitter) {
        self.posts = posts
        self.planner = planner
        self.committer = committer
        manifest = committer.manifest
        waiting = PostSettlement(posts)
    }

    /// How long the settle stage took, and the image threads' seconds in it.
    mutating func recordSettleTimes(settle: Double, images: Double) {
        tally.settleSeconds = settle
        tally.imageSeconds = images
    }

    /// Takes the posts that name nothing to fetch.
    mutating func startWithReadyPosts() {
        batch += waiting.ready()
        flushReady()
    }

    /// Records a settled URL, and rewrites the posts it completed once their batch is due.
    mutating func settle(_ url: String, _ outcome: SettledURL) {
        settled[url] = outcome
        batch += waiting.settle(url)
        if batch.count >= Self.batchSize { flush() }
    }

    /// Called on the settle stage's ticks: a ready post never waits long for more company.
    mutating func tick() {
        if !batch.isEmpty, ContinuousClock.now - lastFlush >= Self.batchDelay { flush() }
    }

    /// Rewrites the posts that are ready now, whatever the batch's age.
    mutating func flushReady() {
        while !batch.isEmpty { flush(count: Self.batchSize) }
    }

    /// Rewrites what is ready, then every post not rewritten yet (their unsettled references
    /// stay pending). `beforeEach` runs first for each (a cancellation check).
    mutating func finish(beforeEach: () throws -> Void = {}) rethrows {
        batch += waiting.remaining()
        while !batch.isEmpty {
            try beforeEach()
            flush(count: Self.batchSize)
        }
    }

    /// Plans the first `count` posts of the batch, saves their intents durably, commits them.
    private mutating func flush(count: Int = .max) {
        let taken = Array(batch.prefix(count))
        batch.removeFirst(taken.count)
        lastFlush = ContinuousClock.now
        guard !taken.isEmpty else { return }
        let started = ContinuousClock.now
        defer { tally.rewriteSeconds += (ContinuousClock.now - started).seconds }
        let plans = taken.map { planner.plan(posts[$0], settled: ownSettled(posts[$0])) }
        let intents = plans.filter { !$0.edits.isEmpty }.map {
            (references: $0.references, elementEdits: $0.elementEdits)
        }
        var intentsFailed: (any Error)?
        if !committer.dryRun, let manifest {
            do {
                try manifest.saveIntents(intents)
            } catch {
                intentsFailed = error
            }
        }
        for plan in plans {
            if let intentsFailed, !plan.edits.isEmpty {
                tally.add(committer.failedIntents(plan, intentsFailed))
            } else {
                let outcome = committer.commit(plan, settled: ownSettled(plan.post))
                if outcome.rewritten && !committer.dryRun { SyncMetrics.postRewritten() }
                tally.add(outcome)
            }
        }
    }

    /// The settled outcomes of the URLs one post names.
    private func ownSettled(_ post: ScannedPost) -> [String: SettledURL] {
        var own: [String: SettledURL] = [:]
        for reference in post.references {
            if let url = reference.target?.url, let outcome = settled[url] { own[url] = outcome }
        }
        return own
    }
}

/// The edit stage's contribution to the summary.
struct EditTally {
    var counts = ReferenceCounts()
    var postsRewritten = 0
    var postsUnchanged = 0
    var postsRescanned = 0
    var rewriteSeconds = 0.0
    var settleSeconds = 0.0
    var imageSeconds = 0.0
    var problems: [SyncProblem] = []
    var diffs: [String] = []

    mutating func add(_ outcome: PostCommitter.Outcome) {
        counts.references += outcome.counts.references
        counts.mirrored += outcome.counts.mirrored
        counts.failed += outcome.counts.failed
        counts.skipped += outcome.counts.skipped
        counts.pending += outcome.counts.pending
        postsRescanned += outcome.rescans > 0 ? 1 : 0
        if outcome.rewritten { postsRewritten += 1 } else { postsUnchanged += 1 }
        problems += outcome.problems
        if let diff = outcome.diff { diffs.append(diff) }
    }
}
