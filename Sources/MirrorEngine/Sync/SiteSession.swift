import Foundation
import Logging
import MirrorConfig
import MirrorStore

/// The first stage of a pass: the site opened for it. The manifest (the caller's, or opened
/// now), the content store, and the writer lock when the pass takes it itself; a dry run
/// writes nothing at all and only reads an existing manifest.
struct SiteSession: Sendable {
    let manifest: Manifest?
    let store: ContentStore
    let writerLock: WriterLock?

    init(configuration: MirrorConfiguration, options: SyncEngine.Options, logger: Logger) throws {
        store = ContentStore(root: configuration.site.media)
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
        guard !options.dryRun && !options.holdsWriterLock else {
            writerLock = nil
            return
        }
        writerLock = try configuration.lockWriters(purpose: "sync")
        do {
            try AtomicFile.makeDirectories(configuration.site.media)
        } catch {
            throw SyncError.cannotRun("media directory: \(error)")
        }
        // Holding the lock, every temporary file is an interrupted run's: the media directory's
        // now, the posts' as the scan's walk meets them.
        let stale = store.removeStaleTemporaries()
        if stale > 0 { logger.notice("removed \(stale) temporary files left by an interrupted run") }
    }

    /// Whether the scan removes the temporary files it meets (the pass took the lock itself).
    var cleansPosts: Bool { writerLock != nil }
}
