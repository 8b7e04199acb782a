import Foundation
import GRDB
import TestSupport
import Testing

@testable import MirrorStore

struct ManifestTests {
    func asset(_ sha: String) -> AssetRecord {
        AssetRecord(
            sha256: sha, path: "\(sha.prefix(2))/\(sha).jpg", format: "jpeg", bytes: 10, width: 4, height: 3,
            orientation: 6, displayedWidth: 3, displayedHeight: 4, frames: 1, createdAt: 1)
    }

    func url(_ url: String, asset: String?) -> URLRecord {
        URLRecord(
            url: url, wrapper: nil, status: asset == nil ? .failed : .mirrored, fetchedVia: url, asset: asset,
            httpStatus: 200, failureClass: nil, failureMessage: nil, attempts: 1, etag: "\"e\"", lastModified: nil,
            lastChecked: 1)
    }

    @Test func recordsSurviveReopeningInWALMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("state/manifest.sqlite").path
        do {
            let manifest = try Manifest(path: path)
            try manifest.recordMirrored(
                url("http://a.test/x.jpg", asset: "ab12"), asset: asset("ab12"),
                thumbnails: [ThumbnailRecord(asset: "ab12", width: 2, height: 3, path: "ab/ab12-2w.jpg", bytes: 5)])
        }
        let reopened = try Manifest(path: path)
        #expect(try reopened.urlRecord("http://a.test/x.jpg")?.asset == "ab12")
        #expect(try reopened.asset("ab12")?.displayedWidth == 3)
        #expect(try reopened.thumbnails(of: "ab12").map(\.width) == [2])
        let mode = try DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func rewrittenReferencesKeepTheirFirstOriginalValue() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let manifest = try Manifest(path: directory.appending("m.sqlite").path)
        let post = PostRecord(path: "a.md", size: 1, mtime: 1, sha256: "x", scannedAt: 1)
        func reference(original: String, local: String?) -> ReferenceRecord {
            ReferenceRecord(
                post: "a.md", place: "<img> #0 src", kind: "html_attribute", line: 3, originalValue: original,
                url: "http://a.test/x.jpg", localValue: local, asset: nil, declaredWidth: nil, declaredHeight: nil,
                verdict: nil)
        }
        try manifest.saveReferences([reference(original: "http://a.test/x.jpg", local: "/m/x.jpg")], post: post)
        // A later scan sees the local value in the post; the original must not be lost.
        try manifest.saveReferences([reference(original: "/m/x.jpg", local: "/m/x.jpg")], post: post)
        #expect(try manifest.references(ofPost: "a.md").map(\.originalValue) == ["http://a.test/x.jpg"])
    }

    @Test func aNewerSchemaIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("m.sqlite").path
        _ = try Manifest(path: path)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        #expect {
            _ = try Manifest(path: path)
        } throws: { error in
            "\(error)".contains("newer mediamirror")
        }
    }

    @Test func otherDatabasesAndCorruptFilesAreRefusedAndLeftAlone() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let foreign = directory.appending("foreign.sqlite").path
        try DatabaseQueue(path: foreign).write { db in try db.execute(sql: "CREATE TABLE notes (x TEXT)") }
        #expect {
            _ = try Manifest(path: foreign)
        } throws: { error in
            "\(error)".contains("not a mediamirror manifest")
        }
        let corrupt = directory.appending("corrupt.sqlite")
        let garbage = Data(repeating: 0x5A, count: 8192)
        try garbage.write(to: corrupt)
        #expect(throws: ManifestError.self) { _ = try Manifest(path: corrupt.path) }
        #expect(try Data(contentsOf: corrupt) == garbage)
    }

    /// The integrity check runs when the last writer left its write-ahead log behind (a crash,
    /// a power cut), and a clean open skips it: the same damaged file is refused after a crash
    /// and opened after a clean close.
    @Test func damageIsCheckedForAfterAnUncleanClose() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("manifest.sqlite").path
        do {
            let manifest = try Manifest(path: path)
            for index in 0..<400 {
                try manifest.recordMirrored(
                    url("http://a.test/\(index).jpg", asset: "s\(index)"), asset: asset("s\(index)"), thumbnails: [])
            }
            try manifest.checkpoint()
        }
        #expect(!Manifest.hasWriteAheadLog(path))
        // Damage a page in the middle of the file (a table or index page, not the header).
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: (size / 4096 / 2) * 4096)
        try handle.write(contentsOf: Data(repeating: 0xFF, count: 4096))
        try handle.close()
        _ = try Manifest(path: path)
        // A log left behind: the next open checks, and refuses the damaged file.
        try Data(repeating: 0x01, count: 64).write(to: URL(fileURLWithPath: path + "-wal"))
        #expect {
            _ = try Manifest(path: path)
        } throws: { error in
            "\(error)".contains("integrity check failed")
        }
    }

    @Test(arguments: [
        ((1920, 1280), (1920, 1280), DimensionVerdict.match),
        ((960, 640), (1920, 1280), .scaled),
        ((1385, 822), (1385, 823), .scaled),
        ((1200, 900), (1200, 800), .mismatch),
    ])
    func verdicts(declared: (Int, Int), actual: (Int, Int), verdict: DimensionVerdict) {
        #expect(DimensionVerdict.classify(declared: declared, actual: actual) == verdict)
    }

    @Test func undeclaredWhenNothingIsDeclared() {
        #expect(DimensionVerdict.classify(declared: nil, actual: (1, 1)) == .undeclared)
    }

    @Test func aManifestLockedByAnotherProcessIsAClearError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("m.sqlite").path
        _ = try Manifest(path: path)
        // Another process holds an exclusive lock for a while.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = [
            "python3", "-c",
            "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); "
                + "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(10)",
            path,
        ]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        defer {
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }
        _ = output.fileHandleForReading.availableData  // "locked"
        let started = ContinuousClock.now
        #expect {
            _ = try Manifest(path: path)
        } throws: { error in
            "\(error)".contains("locked")
        }
        #expect(ContinuousClock.now - started >= .seconds(4))
    }
}
