import Foundation
import Logging
import MirrorConfig
import MirrorFetch
import MirrorImaging
import MirrorPosts
import MirrorStore

/// One sync pass, as named stages over values: open the site → scan the posts → the distinct
/// targets → settle them (fetch, verify, store, thumbnail), rewriting each post as soon as its
/// URLs are settled → tally. Data flows one way; a post is edited only for references whose
/// files are safely on disk, and only after its intents are durably in the manifest.
public struct SyncEngine: EngineJob {
    public let context: EngineContext

    public init(_ context: EngineContext) {
        self.context = context
    }

    public struct Options: Sendable {
        public var dryRun: Bool
        /// Fetch failed URLs now, whatever their retry schedule says.
        public var retryFailed: Bool
        /// Called as the pass advances (after every settled URL, every rewritten post), from
        /// any thread; keep it cheap.
        public var progress: (@Sendable (SyncProgress) -> Void)?
        /// Asked before each new download starts; once it says true the pass starts nothing new,
        /// lets transfers in flight finish and rewrites posts for what settled. While scanning,
        /// it abandons the pass (nothing is written yet).
        public var shouldStop: (@Sendable () -> Bool)?
        /// Ask the origins of mirrored URLs last checked longer ago than this many seconds
        /// whether they still serve them (at most `revalidateLimit` per run); nil: do not.
        public var revalidateOlderThan: Double?
        public var revalidateLimit = 500
        /// The manifest to use, opened once by a long-running caller (the daemon); nil opens
        /// the configured one for this pass.
        public var manifest: Manifest?
        /// The caller holds the site's writer lock for its whole life (the daemon) and has
        /// cleaned up what interrupted runs left: the pass neither takes the lock nor cleans.
        public var holdsWriterLock = false
        /// The only posts that can have changed since the manifest recorded the others (the
        /// daemon's watcher saw these): the pass reads them and the pending ones, and walks no
        /// tree. nil: walk the posts directory.
        public var onlyPosts: Set<String>?
        /// Ask web archives for images the origins lost, even when `rescue.enabled` is false
        /// (`sync --rescue`).
        public var rescue = false

        public init(
            dryRun: Bool = false, retryFailed: Bool = false, progress: (@Sendable (SyncProgress) -> Void)? = nil,
            shouldStop: (@Sendable () -> Bool)? = nil
        ) {
            self.dryRun = dryRun
            self.retryFailed = retryFailed
            self.progress = progress
            self.shouldStop = shouldStop
        }
    }

    /// Runs one pass. Cancelling the task abandons transfers in flight and stops before any
    /// more posts are rewritten (what was already published stays, and is reused by the next
    /// pass); it then throws `CancellationError`.
    public func run(_ options: Options = Options()) async throws -> SyncSummary {
        let started = ContinuousClock.now
        let report = options.progress ?? { _ in }
        let shouldStop = options.shouldStop ?? { false }
        var summary = SyncSummary()
        summary.dryRun = options.dryRun
        var progress = SyncProgress()

        let site = try await SiteSession(configuration: configuration, options: options, logger: logger)
        defer {
            site.close()
            withExtendedLifetime(site.writerLock) {}
        }

        let scanner = ReferenceScanner(configuration: configuration)
        let scanStarted = ContinuousClock.now
        let scan = try ScanStage(
            posts: configuration.site.posts, scanner: scanner, manifest: site.manifest, dryRun: options.dryRun,
            removeTemporaries: site.cleansPosts, logger: logger
        ).run(onlyPosts: options.onlyPosts, shouldStop: shouldStop) { count in
            progress.postsScanned = count
            report(progress)
        }
        summary.timings.scan = (ContinuousClock.now - scanStarted).seconds
        summary.postsScanned = scan.scanned.count
        summary.postsSkipped = scan.skipped
        summary.problems += scan.problems
        SyncMetrics.postsScanned(scan.scanned.count)

        let targets = Self.distinctTargets(scan.scanned)
        summary.urls = targets.count
        progress.postsScanned = scan.scanned.count
        progress.urls = targets.count
        progress.phase = .fetching
        report(progress)

        let planner = RewritePlanner(configuration: configuration, scanner: scanner, dryRun: options.dryRun)
        var editor = PostEditor(
            posts: scan.scanned, planner: planner,
            committer: PostCommitter(manifest: site.manifest, planner: planner, dryRun: options.dryRun, logger: logger))
        let rescue =
            options.rescue || configuration.rescue.enabled
            ? ArchiveRescue(settings: configuration.rescue, dates: ArchiveRescue.dates(of: scan.scanned)) : nil
        try await settle(
            targets, site: site, options: options, rescue: rescue, editor: &editor, progress: &progress)
        // Posts ready by now are rewritten before anything else can take the time a stop allows.
        editor.flushReady()
        try await revalidate(site: site, options: options, summary: &summary)
        if !options.dryRun, let manifest = site.manifest, !Task.isCancelled, options.shouldStop?() != true {
            summary.thumbnailsMade += try await ThumbnailCompletion(
                configuration: configuration, manifest: manifest, store: site.store, logger: logger
            ).run()
        }

        // The rest: every post of a dry run, and posts left waiting by a run that stopped early
        // (their unsettled references stay pending).
        progress.phase = .rewriting
        report(progress)
        try editor.finish { try Task.checkCancellation() }
        Self.tally(editor, targets: targets, into: &summary)
        if !options.dryRun, let manifest = site.manifest {
            do {
                try manifest.checkpoint()
            } catch {
                logger.info("manifest checkpoint skipped: \(error)")
            }
        }
        summary.seconds = (ContinuousClock.now - started).seconds
        progress.phase = .done
        progress.postsRewritten = editor.tally.postsRewritten
        report(progress)
        return summary
    }

    /// Distinct targets in first-seen order; a URL found both bare and inside a proxy wrapper
    /// keeps the wrapper as its fallback.
    static func distinctTargets(_ posts: [ScannedPost]) -> [ImageTarget] {
        var targets: [ImageTarget] = []
        var positions: [String: Int] = [:]
        for post in posts {
            for reference in post.references {
                guard let target = reference.target else { continue }
                if let position = positions[target.url] {
                    if targets[position].wrapper == nil { targets[position].wrapper = target.wrapper }
                } else {
                    positions[target.url] = targets.count
                    targets.append(target)
                }
            }
        }
        return targets
    }

    /// Settles the targets into the editor: fetched (a real run), or looked up (a dry run).
    private func settle(
        _ targets: [ImageTarget], site: SiteSession, options: Options, rescue: ArchiveRescue?,
        editor: inout PostEditor, progress: inout SyncProgress
    ) async throws {
        guard let manifest = site.manifest else { return }
        guard !options.dryRun else {
            // The thumbnails too when `rewrite.variants` may point at them, as the real run does.
            let variants = !configuration.rewrite.variants.isEmpty || configuration.rewrite.srcset
            for target in targets {
                if let asset = manifest.storedCopy(of: target.url, in: site.store) {
                    let thumbnails = variants ? ((try? manifest.thumbnails(of: asset.sha256)) ?? []) : []
                    editor.settle(
                        target.url,
                        .mirrored(
                            MirroredURL(
                                asset: asset, thumbnails: thumbnails, fetched: false, bytes: 0, thumbnailsMade: 0)))
                }
            }
            return
        }
        // Posts with nothing to fetch first: they only need their records.
        editor.startWithReadyPosts()
        let report = options.progress ?? { _ in }
        var current = progress
        let settleStarted = ContinuousClock.now
        let imageSeconds = try await SettleStage(
            configuration: configuration, manifest: manifest, store: site.store, retryFailed: options.retryFailed,
            rescue: rescue, logger: logger
        ).run(targets, editor: &editor, shouldStop: options.shouldStop ?? { false }) { outcome in
            current.urlsSettled += 1
            switch outcome {
            case .mirrored(let mirrored): current.bytesDownloaded += mirrored.bytes
            case .failed, .deferred: current.urlsFailed += 1
            }
            report(current)
        }
        progress = current
        progress.postsRewritten = editor.tally.postsRewritten
        editor.recordSettleTimes(settle: (ContinuousClock.now - settleStarted).seconds, images: imageSeconds)
        try Task.checkCancellation()
    }

    private func revalidate(site: SiteSession, options: Options, summary: inout SyncSummary) async throws {
        guard let seconds = options.revalidateOlderThan, let manifest = site.manifest, !options.dryRun,
            !Task.isCancelled, options.shouldStop?() != true
        else { return }
        let client = try FetchClientFactory.client(for: configuration)
        defer { client.shutdown() }
        let outcome = await Revalidator(
            client: client, manifest: manifest, store: site.store,
            headerPolicy: HeaderPolicy(configuration: configuration),
            logger: logger
        ).run(olderThan: seconds, limit: options.revalidateLimit, concurrency: configuration.fetch.concurrency)
        summary.urlsRevalidated = outcome.checked
        summary.urlsGone = outcome.gone
    }

    /// The run's figures from the edit stage and what each URL settled as.
    static func tally(_ editor: PostEditor, targets: [ImageTarget], into summary: inout SyncSummary) {
        let edits = editor.tally
        summary.references += edits.counts.references
        summary.referencesMirrored += edits.counts.mirrored
        summary.referencesFailed += edits.counts.failed
        summary.referencesSkipped += edits.counts.skipped
        summary.referencesPending += edits.counts.pending
        summary.postsRewritten = edits.postsRewritten
        summary.postsUnchanged = edits.postsUnchanged
        summary.postsRescanned = edits.postsRescanned
        summary.timings.rewrite = edits.rewriteSeconds
        summary.timings.settle = edits.settleSeconds
        summary.timings.images = edits.imageSeconds
        summary.problems += edits.problems
        summary.diffs = edits.diffs
        for outcome in editor.settled.values {
            switch outcome {
            case .mirrored(let mirrored):
                if mirrored.fetched {
                    summary.urlsFetched += 1
                    summary.assetsStored += 1
                } else {
                    summary.urlsFromManifest += 1
                }
                summary.bytesDownloaded += mirrored.bytes
                summary.thumbnailsMade += mirrored.thumbnailsMade
            case .failed: summary.urlsFailed += 1
            case .deferred: summary.urlsDeferred += 1
            }
        }
        for target in targets {
            if case .failed(let kind, let message) = editor.settled[target.url] {
                summary.problems.append(SyncProblem(subject: target.url, kind: kind, message: message))
                if kind == .diskFull { summary.diskFull = true }
            }
        }
    }
}
