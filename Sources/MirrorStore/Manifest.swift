import Foundation
import GRDB

/// The SQLite manifest (WAL mode through a GRDB `DatabasePool`): URLs, assets, thumbnails,
/// references and posts.
public final class Manifest: Sendable {
    public let path: String
    /// A pool (WAL, concurrent readers) normally; a read-only queue for read-only access, which
    /// SQLite allows on a WAL database in a directory the caller cannot write.
    private let pool: any DatabaseWriter

    /// Opens (creating if needed) the manifest, checks it is one of ours and migrates it.
    /// `readOnly` opens an existing manifest for reading only (report, verify), which works on a
    /// file and directory the caller cannot write, and never changes the file.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        if readOnly {
            guard FileManager.default.fileExists(atPath: path) else {
                throw ManifestError(path: path, reason: "does not exist (run mediamirror sync first)")
            }
        } else {
            do {
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            } catch {
                throw ManifestError(path: path, reason: "cannot create its directory: \(error.localizedDescription)")
            }
        }
        // A manifest closed cleanly leaves no write-ahead log behind; one that was not (a crash,
        // a power cut, a writer still running) is checked before use. The check reads the whole
        // file (some 90 ms for a 10,000-post blog's), which a clean open does not need: SQLite
        // reports damage it meets later by itself.
        let check = Self.hasWriteAheadLog(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.readonly = readOnly
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            if !readOnly {
                pool = try DatabasePool(path: path, configuration: configuration)
            } else if access((path as NSString).deletingLastPathComponent, W_OK) == 0 {
                pool = try DatabaseQueue(path: path, configuration: configuration)
            } else {
                // SQLite cannot open a WAL database read-only when it may not create the -shm
                // file beside it, so read it as immutable. A writer running as another user at
                // that very moment could be seen mid-transaction; a read-only report is then
                // simply run again.
                pool = try DatabaseQueue(path: "file:\(path)?immutable=1", configuration: configuration)
            }
        } catch {
            throw ManifestError(path: path, reason: Self.openFailure(error))
        }
        let migrator = ManifestSchema.migrator
        do {
            try pool.read { db in
                let known = Set(migrator.migrations)
                let applied = try migrator.appliedIdentifiers(db)
                if let unknown = applied.subtracting(known).sorted().first {
                    throw ManifestError(
                        path: path, reason: "made by a newer mediamirror (schema \(unknown)); upgrade mediamirror")
                }
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                let ours = tables.contains("grdb_migrations") || tables.filter { !$0.hasPrefix("sqlite_") }.isEmpty
                if !ours {
                    throw ManifestError(path: path, reason: "is an SQLite database, but not a mediamirror manifest")
                }
            }
            if readOnly {
                let complete = try pool.read { db in try migrator.hasCompletedMigrations(db) }
                guard complete else {
                    throw ManifestError(
                        path: path,
                        reason: "was made by an older mediamirror; run sync once with write access to upgrade it")
                }
            } else {
                try migrator.migrate(pool)
            }
            if check {
                try pool.read { db in
                    let result = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "no answer"
                    if result != "ok" { throw ManifestError(path: path, reason: "integrity check failed: \(result)") }
                }
            }
        } catch let error as ManifestError {
            throw error
        } catch {
            throw ManifestError(path: path, reason: Self.openFailure(error))
        }
    }

    /// Whether `<path>-wal` exists and holds frames.
    static func hasWriteAheadLog(_ path: String) -> Bool {
        var status = stat()
        return stat(path + "-wal", &status) == 0 && status.st_size > 0
    }

    private static func openFailure(_ error: any Error) -> String {
        let reason = describe(error)
        if reason.contains("readonly") || reason.contains("read-only") {
            return "is read-only for this user (\(reason)); sync, restore and gc need to write it"
        }
        return "cannot open: \(reason)"
    }

    private static func describe(_ error: any Error) -> String {
        if let databaseError = error as? DatabaseError {
            return databaseError.message ?? "\(databaseError.resultCode)"
        }
        return "\(error)"
    }

    // MARK: - Posts

    public func post(_ path: String) throws -> PostRecord? {
        try pool.read { db in try PostRecord.fetchOne(db, key: path) }
    }

    public func save(_ post: PostRecord) throws {
        try pool.write { db in try post.save(db) }
    }

    // MARK: - URLs and assets

    public func urlRecord(_ url: String) throws -> URLRecord? {
        try pool.read { db in try URLRecord.fetchOne(db, key: url) }
    }

    public func asset(_ sha256: String) throws -> AssetRecord? {
        try pool.read { db in try AssetRecord.fetchOne(db, key: sha256) }
    }

    public func thumbnails(of sha256: String) throws -> [ThumbnailRecord] {
        try pool.read { db in
            try ThumbnailRecord.filter(Column("asset") == sha256).order(Column("width"), Column("format")).fetchAll(db)
        }
    }

    /// Records a mirrored URL with its asset and thumbnails in one transaction.
    public func recordMirrored(_ url: URLRecord, asset: AssetRecord, thumbnails: [ThumbnailRecord]) throws {
        try pool.write { db in
            if try AssetRecord.exists(db, key: asset.sha256) == false { try asset.insert(db) }
            for thumbnail in thumbnails { try thumbnail.save(db) }
            try url.save(db)
        }
    }

    public func recordFailure(_ url: URLRecord) throws {
        try pool.write { db in try url.save(db) }
    }

    // MARK: - Store facts

    public func fact(_ key: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM store_facts WHERE key = ?", arguments: [key])
        }
    }

    public func setFact(_ key: String, _ value: String) throws {
        try pool.write { db in
            try db.execute(
                sql:
                    "INSERT INTO store_facts (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [key, value])
        }
    }

    /// Records thumbnails made later than their asset (a new format or width).
    public func addThumbnails(_ thumbnails: [ThumbnailRecord]) throws {
        try pool.write { db in for thumbnail in thumbnails { try thumbnail.save(db) } }
    }

    /// Forgets thumbnails whose files were removed.
    public func forgetThumbnails(paths: [String]) throws {
        try pool.write { db in
            for path in paths { try db.execute(sql: "DELETE FROM thumbnails WHERE path = ?", arguments: [path]) }
        }
    }

    // MARK: - Learned Referer rules

    public func refererRules() throws -> [RefererRuleRecord] {
        try pool.read { db in try RefererRuleRecord.order(Column("host")).fetchAll(db) }
    }

    public func saveRefererRule(_ rule: RefererRuleRecord) throws {
        try pool.write { db in try rule.save(db) }
    }

    public func forgetRefererRule(host: String) throws {
        try pool.write { db in _ = try RefererRuleRecord.deleteOne(db, key: host) }
    }

    // MARK: - References

    public func references(ofPost post: String) throws -> [ReferenceRecord] {
        try pool.read { db in try ReferenceRecord.filter(Column("post") == post).fetchAll(db) }
    }

    public func allReferences() throws -> [ReferenceRecord] {
        try pool.read { db in try ReferenceRecord.order(Column("post"), Column("line")).fetchAll(db) }
    }

    public func elementEdits(ofPost post: String) throws -> [ElementEditRecord] {
        try pool.read { db in try ElementEditRecord.filter(Column("post") == post).fetchAll(db) }
    }

    /// Saves a post's references and element edits (and the post's record, when given). A
    /// reference or element edit made before keeps its first original value when the post now
    /// holds the local one. Called once before a post is rewritten (without the post record: the
    /// intent, so a crash between the rename and the final save cannot lose an original value)
    /// and once after.
    public func saveReferences(
        _ references: [ReferenceRecord], elementEdits: [ElementEditRecord] = [], post: PostRecord?
    ) throws {
        try pool.write { db in
            try post?.save(db)
            try Self.save(references, elementEdits, in: db)
        }
    }

    /// The write-ahead intents of several posts about to be rewritten: each place's original
    /// and local value, saved in one transaction that is on disk when this returns (SQLite's
    /// `synchronous = FULL` for it: the WAL is synced at commit), so `restore` works after a
    /// power cut, not only after a killed process. One sync for the whole batch keeps a first
    /// sync of thousands of posts from paying one per post.
    public func saveIntents(_ intents: [(references: [ReferenceRecord], elementEdits: [ElementEditRecord])]) throws {
        guard !intents.isEmpty else { return }
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
            try db.inTransaction {
                for intent in intents { try Self.save(intent.references, intent.elementEdits, in: db) }
                return .commit
            }
        }
    }

    /// Saves references and element edits; a place already rewritten keeps its first original
    /// value (the one restore must put back).
    private static func save(
        _ references: [ReferenceRecord], _ elementEdits: [ElementEditRecord], in db: Database
    ) throws {
        for var reference in references {
            if let existing = try ReferenceRecord.fetchOne(
                db, key: ["post": reference.post, "place": reference.place]),
                existing.localValue != nil, reference.originalValue == existing.localValue
            {
                reference.originalValue = existing.originalValue
            }
            try reference.save(db)
        }
        for var edit in elementEdits {
            if let existing = try ElementEditRecord.fetchOne(db, key: ["post": edit.post, "place": edit.place]),
                edit.originalValue == existing.localValue
            {
                edit.originalValue = existing.originalValue
            }
            try edit.save(db)
        }
    }

    public func count(_ table: String) throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    /// Mirrored URLs last checked before `time`, oldest first: what a revalidation pass asks
    /// their origins about again.
    public func urlsToRevalidate(checkedBefore time: Double, limit: Int) throws -> [URLRecord] {
        try pool.read { db in
            try URLRecord.filter(Column("status") == URLRecord.Status.mirrored.rawValue)
                .filter(Column("last_checked") < time)
                .order(Column("last_checked"))
                .limit(limit)
                .fetchAll(db)
        }
    }

    /// Records what a revalidation found: checked now; gone (404/410) since a time, or not gone.
    public func recordRevalidation(_ url: String, checkedAt: Double, goneSince: Double?) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE urls SET last_checked = ?, gone_since = ? WHERE url = ?",
                arguments: [checkedAt, goneSince, url])
        }
    }

    /// Moves everything in the write-ahead log into the database file, so a reader that cannot
    /// use the WAL (read-only, in a directory it cannot write) sees every finished sync.
    public func checkpoint() throws {
        try pool.writeWithoutTransaction { db in
            _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// The counts the daemon reports, read in one transaction.
    public func statistics() throws -> ManifestStatistics {
        try pool.read { db in
            var statistics = ManifestStatistics()
            statistics.posts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM posts") ?? 0
            statistics.postsPending = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM posts WHERE pending > 0") ?? 0
            statistics.references = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM image_references") ?? 0
            statistics.referencesMirrored =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM image_references WHERE local_value IS NOT NULL") ?? 0
            statistics.urlsMirrored =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM urls WHERE status = 'mirrored'") ?? 0
            statistics.assets = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM assets") ?? 0
            statistics.thumbnails = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM thumbnails") ?? 0
            statistics.failedURLs = try String.fetchAll(db, sql: "SELECT url FROM urls WHERE status = 'failed'")
            statistics.urlsFailed = statistics.failedURLs.count
            statistics.nextRetry = try Self.nextRetry(db)
            return statistics
        }
    }

    /// When the earliest failed URL may be tried again (Unix time), if any waits.
    public func nextRetry() throws -> Double? {
        try pool.read { db in try Self.nextRetry(db) }
    }

    private static func nextRetry(_ db: Database) throws -> Double? {
        try Double.fetchOne(
            db, sql: "SELECT MIN(next_attempt) FROM urls WHERE status = 'failed' AND next_attempt IS NOT NULL")
    }

    // MARK: - Queries for report, restore, verify and gc

    public func allAssets() throws -> [AssetRecord] {
        try pool.read { db in try AssetRecord.order(Column("path")).fetchAll(db) }
    }

    public func allThumbnails() throws -> [ThumbnailRecord] {
        try pool.read { db in try ThumbnailRecord.order(Column("asset"), Column("width")).fetchAll(db) }
    }

    public func allURLs() throws -> [URLRecord] {
        try pool.read { db in try URLRecord.order(Column("url")).fetchAll(db) }
    }

    public func allPosts() throws -> [PostRecord] {
        try pool.read { db in try PostRecord.order(Column("path")).fetchAll(db) }
    }

    /// The posts with references pending and those at `paths`, and how many posts are
    /// recorded in all: what a pass needs when only `paths` can have changed.
    public func posts(pendingOrAt paths: Set<String>) throws -> (posts: [PostRecord], total: Int) {
        try pool.read { db in
            let pending = try PostRecord.filter(Column("pending") > 0).fetchAll(db)
            let named = try PostRecord.filter(keys: Array(paths)).fetchAll(db)
            let total = try PostRecord.fetchCount(db)
            var seen = Set<String>()
            return ((pending + named).filter { seen.insert($0.path).inserted }, total)
        }
    }

    /// Forgets element edits that were recorded ahead of a rewrite that did not happen.
    public func forgetElementEdits(post: String, places: [String]) throws {
        guard !places.isEmpty else { return }
        try pool.write { db in
            for place in places { _ = try ElementEditRecord.deleteOne(db, key: ["post": post, "place": place]) }
        }
    }

    /// Marks references as pointing at their original values again, and records the post.
    public func markRestored(post: PostRecord, places: [String], elementPlaces: [String] = []) throws {
        try pool.write { db in
            try post.save(db)
            for place in places {
                try db.execute(
                    sql: "UPDATE image_references SET local_value = NULL WHERE post = ? AND place = ?",
                    arguments: [post.path, place])
            }
            for place in elementPlaces {
                _ = try ElementEditRecord.deleteOne(db, key: ["post": post.path, "place": place])
            }
        }
    }

    /// Forgets an asset whose files were removed: its thumbnails go, URLs and references keep
    /// their rows without an asset, so a later sync fetches again.
    public func forgetAsset(_ sha256: String) throws {
        try pool.write { db in
            try db.execute(
                sql:
                    "UPDATE urls SET asset = NULL, status = 'failed', failure_class = 'removed', failure_message = 'stored file was removed' WHERE asset = ?",
                arguments: [sha256])
            _ = try AssetRecord.deleteOne(db, key: sha256)
        }
    }

    public func saveThumbnails(_ thumbnails: [ThumbnailRecord]) throws {
        try pool.write { db in for thumbnail in thumbnails { try thumbnail.save(db) } }
    }

    /// Forgets posts that are gone from disk, with their references (their stored files become
    /// unused, for gc to remove).
    public func forgetPosts(_ paths: [String]) throws {
        guard !paths.isEmpty else { return }
        try pool.write { db in
            for path in paths {
                try db.execute(sql: "DELETE FROM image_references WHERE post = ?", arguments: [path])
                try db.execute(sql: "DELETE FROM element_edits WHERE post = ?", arguments: [path])
                _ = try PostRecord.deleteOne(db, key: path)
            }
        }
    }
}
