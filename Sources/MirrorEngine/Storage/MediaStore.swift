import MirrorStore

/// Where mirrored files live: a directory (`DirectoryMediaStore`, `site.media`) or an
/// S3-compatible bucket (`BucketMediaStore`). Paths are the content store's relative paths
/// (`ab/abcd….jpg`); a post points at `site.url_prefix` + `/` + path either way.
///
/// Storing is two steps because a directory and a bucket want different threads: `stage` runs
/// on an image thread beside the decode (a directory publishes there, fsync and rename
/// included), `commit` runs on the cooperative pool (a bucket uploads there, many at once,
/// without holding an image thread). A file is in the store only after `commit` returned.
protocol MediaStore: Sendable {
    /// Where files in flight are written: beside the published files for a directory (so
    /// publishing is a rename), a scratch directory for a bucket.
    var scratch: String { get }

    /// Whether a file the manifest recorded is still there. A bucket trusts its manifest (no
    /// request per URL per sync; `verify` checks the objects).
    func holds(_ path: String) -> Bool

    /// Takes a finished, flushed download (`temporary`) as `path`, and its thumbnails. Blocking.
    func stage(
        original temporary: String, as path: String, sha256: String, thumbnails: [StagedThumbnail]
    )
        throws(MediaStoreFailure) -> StagedFiles

    /// Makes what `stage` took durable in the store.
    func commit(_ staged: StagedFiles) async throws(MediaStoreFailure)

    /// Stores bytes (a thumbnail made later) as `path`.
    func write(_ bytes: [UInt8], as path: String) async throws(MediaStoreFailure)

    /// A local file holding the stored bytes of `path`, to read (make thumbnails from, hash);
    /// `release` is called once done with it.
    func localCopy(of path: String) async throws(MediaStoreFailure) -> LocalCopy

    /// What the store has at `path`: its size and, when known without reading it, its SHA-256.
    func inspect(_ path: String) async throws(MediaStoreFailure) -> StoredFile?

    /// Stores a file already on local disk (a repaired original) as `path`.
    func put(file: String, as path: String, sha256: String) async throws(MediaStoreFailure)

    /// Removes `path`; one already gone counts as removed.
    func remove(_ path: String) async throws(MediaStoreFailure)

    /// Where `path` is, as `report` shows it: a file path or an object URL.
    func location(of path: String) -> String

    /// Nil when the store can take writes now, else why not (for `/readyz`).
    func unavailability() async -> String?

    /// Checks the store can be used at all before a pass starts.
    func open() async throws(MediaStoreFailure)

    /// The files `gc` may consider: a directory's every file; a bucket's objects the manifest
    /// created (never a listing: other sites' objects and other prefixes are not ours).
    func inventory(manifest: Manifest) throws -> [InventoryItem]

    /// Removes files in flight an interrupted run left (call only holding the writer lock).
    func removeStaleTemporaries() -> Int

    func close()
}
