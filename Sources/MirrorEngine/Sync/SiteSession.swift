import Foundation
import Logging
import MirrorConfig
import MirrorStore

/// The first stage of a pass: the site opened for it. The manifest (the caller's, or opened
/// now), the media store (directory or bucket, checked usable), and the writer lock when the
/// pass takes it itself; a dry run writes nothing at all and only reads an existing manifest.
struct SiteSession: Sendable {
    let manifest: Manifest?
    let store: any MediaStore
    let writerLock: WriterLock?

    init(configuration: MirrorConfiguration, options: SyncEngine.Options, logger: Logger) async throws {
        store = try MediaStoreFactory.storeOrStop(for: configuration)
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
        if !options.dryRun {
            do {
                try await store.open()
            } catch {
                store.close()
                throw SyncError.cannotRun(error.message)
            }
        }
        guard !options.dryRun && !options.holdsWriterLock else {
            writerLock = nil
            return
        }
        writerLock = try configuration.lockWriters(purpose: "sync")
        // Holding the lock, every temporary file is an interrupted run's: the media directory's
        // now, the posts' as the scan's walk meets them.
        let stale = store.removeStaleTemporaries()
        if stale > 0 { logger.notice("removed \(stale) temporary files left by an interrupted run") }
    }

    func close() {
        store.close()
    }

    /// Whether the scan removes the temporary files it meets (the pass took the lock itself).
    var cleansPosts: Bool { writerLock != nil }
}
