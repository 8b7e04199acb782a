/// What one sync pass did.
public struct SyncSummary: Sendable, Codable, Equatable {
    public var postsScanned = 0
    public var postsRewritten = 0
    public var postsUnchanged = 0
    /// Posts not read at all: unchanged on disk since the last run, nothing pending.
    public var postsSkipped = 0
    public var references = 0
    public var referencesMirrored = 0
    public var referencesFailed = 0
    public var referencesSkipped = 0
    /// References to URLs not fetched in this run (a dry run, or found when a post changed).
    public var referencesPending = 0
    /// Posts that changed while being synced and were scanned again.
    public var postsRescanned = 0
    public var urls = 0
    public var urlsFetched = 0
    public var urlsFromManifest = 0
    public var urlsFailed = 0
    /// Failed URLs not tried in this run because their retry time has not come.
    public var urlsDeferred = 0
    /// Mirrored URLs whose origins were asked again, and how many of those are gone (404/410).
    public var urlsRevalidated = 0
    public var urlsGone = 0
    public var bytesDownloaded = 0
    public var assetsStored = 0
    public var thumbnailsMade = 0
    public var dryRun = false
    /// A write to the media directory failed for lack of space; the run stopped downloading.
    public var diskFull = false
    public var seconds = 0.0
    /// Where the time went.
    public var timings = SyncTimings()
    public var problems: [SyncProblem] = []
    /// Unified diffs of the posts a dry run would rewrite.
    public var diffs: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case postsScanned = "posts_scanned"
        case postsRewritten = "posts_rewritten"
        case postsUnchanged = "posts_unchanged"
        case postsSkipped = "posts_skipped"
        case references
        case referencesMirrored = "references_mirrored"
        case referencesFailed = "references_failed"
        case referencesSkipped = "references_skipped"
        case referencesPending = "references_pending"
        case postsRescanned = "posts_rescanned"
        case urls
        case urlsFetched = "urls_fetched"
        case urlsFromManifest = "urls_from_manifest"
        case urlsFailed = "urls_failed"
        case urlsDeferred = "urls_deferred"
        case urlsRevalidated = "urls_revalidated"
        case urlsGone = "urls_gone"
        case bytesDownloaded = "bytes_downloaded"
        case assetsStored = "assets_stored"
        case thumbnailsMade = "thumbnails_made"
        case dryRun = "dry_run"
        case diskFull = "disk_full"
        case seconds, timings, problems, diffs
    }
}

extension SyncSummary {
    /// Whether the pass left something failed: a reference, or a problem other than a post that
    /// could not be scanned (those are reported, and the rest of the run goes on).
    public var hasFailures: Bool {
        referencesFailed > 0 || problems.contains { $0.kind.isFailure }
    }
}
