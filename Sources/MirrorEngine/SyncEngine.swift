import Foundation
import Logging
import MirrorConfig
import MirrorFetch
import MirrorImaging
import MirrorPosts
import MirrorStore

/// One sync pass: scan posts → distinct URLs → fetch, verify, store, thumbnail → rewrite posts.
/// Data flows one way; a post is edited only for references whose files are safely on disk.
public struct SyncEngine: Sendable {
    public let configuration: MirrorConfiguration
    public let logger: Logger

    public init(configuration: MirrorConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public struct Options: Sendable {
        public var dryRun: Bool
        /// Fetch failed URLs now, whatever their retry schedule says.
        public var retryFailed: Bool
        /// Called as the pass advances (after every settled URL, every rewritten post), from
        /// any thread; keep it cheap.
        public var progress: (@Sendable (SyncProgress) -> Void)?
        /// Asked before each new download starts; once it says true the pass starts nothing new,
        /// lets transfers in flight finish and rewrites posts for what settled.
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

    /// Runs one pass. Cancelling the task abandons transfers in flight and stops before any post
    /// is rewritten (what was already published stays, and is reused by the next pass); it then
    /// throws `CancellationError`.
    public func run(_ options: Options = Options()) async throws -> SyncSummary {
        let started = ContinuousClock.now
        var summary = SyncSummary()
        var progress = SyncProgress()
        let report = options.progress ?? { _ in }
        summary.dryRun = options.dryRun
        let site = configuration.site

        // A dry run writes nothing at all: it reads an existing manifest and creates no files.
        let manifest: Manifest?
        do {
            if let given = options.manifest {
                manifest = given
            } else if !options.dryRun {
                manifest = try Manifest(path: configuration.state.database)
            } else if FileManager.default.fileExists(atPath: configuration.state.database) {
                manifest = try Manifest(path: configuration.state.database, readOnly: true)
            } else {
                manifest = nil
            }
        } catch {
            throw SyncError.cannotRun("\(error)")
        }
        let store = ContentStore(root: site.media)
        var writerLock: WriterLock?
        if !options.dryRun && !options.holdsWriterLock {
            writerLock = try configuration.lockWriters(purpose: "sync")
            do {
                try AtomicFile.makeDirectories(site.media)
            } catch {
                throw SyncError.cannotRun("media directory: \(error)")
            }
            configuration.removeStaleTemporaries(logger: logger)
        }
        defer { withExtendedLifetime(writerLock) {} }

        // Scan.
        let scanner = ReferenceScanner(configuration: configuration)
        var scanned: [ScannedPost] = []
        // A post unchanged since it was last recorded (size and mtime) with nothing pending is
        // not read again: a no-op sync of a large blog costs a directory walk and one query.
        let known = Dictionary(
            ((try? manifest?.allPosts()) ?? []).map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let scanStarted = ContinuousClock.now
        let entries: [PostFinder.Entry]
        let gone: [String]
        if let changed = options.onlyPosts {
            (entries, gone) = PostFinder.entries(changed: changed, under: site.posts, known: known)
        } else {
            entries = try PostFinder.entries(under: site.posts)
            let present = Set(entries.map(\.relativePath))
            gone = known.keys.filter { !present.contains($0) }
        }
        if !options.dryRun, let manifest {
            do {
                try manifest.forgetPosts(gone.sorted())
            } catch {
                summary.problems.append(SyncProblem(subject: "manifest", kind: "manifest", message: "\(error)"))
            }
        }
        let shouldStop = options.shouldStop ?? { false }
        for entry in entries {
            // Nothing is written while scanning: a stop or a cancellation abandons the pass here.
            if shouldStop() { throw CancellationError() }
            try Task.checkCancellation()
            let relative = entry.relativePath
            if let record = known[relative], record.size == entry.size, record.mtime == entry.mtime, record.pending == 0
            {
                summary.postsSkipped += 1
                continue
            }
            let path = (site.posts as NSString).appendingPathComponent(relative)
            guard let data = FileBytes.read(path) else {
                summary.problems.append(SyncProblem(subject: relative, kind: "scan", message: "cannot be read"))
                continue
            }
            let bytes = [UInt8](data)
            let scan = scanner.scan(bytes, isMarkdown: PostFinder.isMarkdown(relative))
            for problem in scan.problems {
                summary.problems.append(SyncProblem(subject: relative, kind: "scan", message: problem))
            }
            scanned.append(ScannedPost(relativePath: relative, path: path, bytes: bytes, references: scan.references))
            if scanned.count % 256 == 0 {
                progress.postsScanned = scanned.count
                report(progress)
            }
        }
        summary.postsScanned = scanned.count
        SyncMetrics.postsScanned(scanned.count)
        progress.postsScanned = scanned.count
        summary.timings.scan = (ContinuousClock.now - scanStarted).seconds
        progress.phase = .fetching
        report(progress)

        // Distinct targets, in first-seen order.
        // A URL found both bare and inside a proxy wrapper keeps the wrapper as its fallback.
        var targets: [ImageTarget] = []
        var positions: [String: Int] = [:]
        for post in scanned {
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
        summary.urls = targets.count
        progress.urls = targets.count
        report(progress)

        // Fetch and publish; each post is rewritten as soon as every URL it names is settled
        // (mirrored or failed), so a long run makes progress post by post.
        let rewriter = PostUpdater(
            manifest: manifest, scanner: scanner, urlPrefix: site.urlPrefix, variants: configuration.rewrite.variants,
            fixDimensions: configuration.rewrite.fixDimensions,
            provenanceAttribute: configuration.rewrite.provenanceAttribute, dryRun: options.dryRun, logger: logger)
        var waiting = PostSettlement(scanned)
        var settled: [String: SettledURL] = [:]
        func rewrite(_ index: Int) {
            let post = scanned[index]
            var own: [String: SettledURL] = [:]
            for reference in post.references {
                if let url = reference.target?.url, let outcome = settled[url] { own[url] = outcome }
            }
            let rewriteStarted = ContinuousClock.now
            let outcome = rewriter.update(post, settled: own)
            summary.timings.rewrite += (ContinuousClock.now - rewriteStarted).seconds
            summary.references += outcome.references
            summary.referencesMirrored += outcome.mirrored
            summary.referencesFailed += outcome.failed
            summary.referencesSkipped += outcome.skipped
            summary.referencesPending += outcome.pending
            summary.postsRescanned += outcome.rescans > 0 ? 1 : 0
            if outcome.rewritten {
                summary.postsRewritten += 1
                progress.postsRewritten += 1
                if !options.dryRun { SyncMetrics.postRewritten() }
            } else {
                summary.postsUnchanged += 1
            }
            summary.problems += outcome.problems
            if let diff = outcome.diff { summary.diffs.append(diff) }
        }
        if let manifest, !options.dryRun {
            // Posts with nothing to fetch first: they only need their records.
            for index in waiting.ready() { rewrite(index) }
            let settleStarted = ContinuousClock.now
            summary.timings.images = try await fetchAll(
                targets, manifest: manifest, store: store, retryFailed: options.retryFailed,
                shouldStop: options.shouldStop ?? { false }
            ) { url, outcome in
                settled[url] = outcome
                progress.urlsSettled += 1
                switch outcome {
                case .mirrored(_, _, let bytes, _): progress.bytesDownloaded += bytes
                case .failed, .deferred: progress.urlsFailed += 1
                }
                for index in waiting.settle(url) { rewrite(index) }
                report(progress)
            }
            summary.timings.settle = (ContinuousClock.now - settleStarted).seconds
            try Task.checkCancellation()
        } else if let manifest {
            for target in targets {
                if let asset = manifest.storedCopy(of: target.url, in: store) {
                    settled[target.url] = .mirrored(asset: asset, fetched: false, bytes: 0, thumbnailsMade: 0)
                }
            }
        }
        for outcome in settled.values {
            switch outcome {
            case .mirrored(_, let fetched, let bytes, let thumbnails):
                if fetched {
                    summary.urlsFetched += 1
                    summary.assetsStored += 1
                } else {
                    summary.urlsFromManifest += 1
                }
                summary.bytesDownloaded += bytes
                summary.thumbnailsMade += thumbnails
            case .failed:
                summary.urlsFailed += 1
            case .deferred:
                summary.urlsDeferred += 1
            }
        }
        for target in targets {
            if case .failed(let kind, let message) = settled[target.url] {
                summary.problems.append(SyncProblem(subject: target.url, kind: kind, message: message))
                if kind == "disk_full" { summary.diskFull = true }
            }
        }

        if let seconds = options.revalidateOlderThan, let manifest, !options.dryRun, !Task.isCancelled {
            let client = try FetchClientFactory.client(for: configuration)
            defer { client.shutdown() }
            let outcome = await Revalidator(
                client: client, manifest: manifest, store: store,
                headerPolicy: HeaderPolicy(configuration: configuration),
                logger: logger
            ).run(
                olderThan: seconds, limit: options.revalidateLimit, concurrency: configuration.fetch.concurrency)
            summary.urlsRevalidated = outcome.checked
            summary.urlsGone = outcome.gone
        }

        // The rest: every post of a dry run, and posts left waiting by a run that stopped early
        // (their unsettled references stay pending).
        progress.phase = .rewriting
        report(progress)
        for index in waiting.remaining() {
            try Task.checkCancellation()
            rewrite(index)
            report(progress)
        }
        if !options.dryRun, let manifest {
            do {
                try manifest.checkpoint()
            } catch {
                logger.info("manifest checkpoint skipped: \(error)")
            }
        }
        summary.seconds = (ContinuousClock.now - started).seconds
        progress.phase = .done
        report(progress)
        return summary
    }

    /// Settles every target, calling `onSettled` (on this task, one at a time) as each is done.
    private func fetchAll(
        _ targets: [ImageTarget], manifest: Manifest, store: ContentStore, retryFailed: Bool,
        shouldStop: @escaping @Sendable () -> Bool,
        onSettled: (String, SettledURL) -> Void
    ) async throws -> Double {
        let fetch = configuration.fetch
        let client = try FetchClientFactory.client(for: configuration)
        let workers = ImageWorkerPool()
        defer {
            client.shutdown()
            workers.shutdown()
        }
        let pipeline = AssetPipeline(
            downloader: Downloader(client: client, attempts: fetch.attempts),
            store: store,
            manifest: manifest,
            thumbnailer: Thumbnailer(configuration: configuration),
            widths: configuration.thumbnails.widths,
            workers: workers,
            headerPolicy: HeaderPolicy(configuration: configuration),
            breaker: HostBreaker(),
            retryFailed: retryFailed,
            logger: logger)
        await withTaskGroup(of: (String, SettledURL).self) { group in
            // The client queues and limits transfers itself; the group only bounds how many
            // tasks wait at once.
            var iterator = targets.makeIterator()
            let window = max(fetch.concurrency * 2, 8)
            var remaining = targets.count
            SyncMetrics.queueDepth(remaining)
            for _ in 0..<window where !shouldStop() {
                guard let target = iterator.next() else { break }
                group.addTask { (target.url, await pipeline.settle(target)) }
            }
            while let (url, outcome) = await group.next() {
                remaining -= 1
                SyncMetrics.queueDepth(remaining)
                onSettled(url, outcome)
                // Once cancelled, nothing new starts; what runs is abandoned by its own task.
                if !Task.isCancelled, !shouldStop(), !pipeline.diskFull.isSet, let target = iterator.next() {
                    group.addTask { (target.url, await pipeline.settle(target)) }
                }
            }
            SyncMetrics.queueDepth(0)
        }
        return pipeline.imageSeconds.total
    }
}
