import Logging
import MirrorConfig
import MirrorStore

extension MirrorConfiguration {
    /// Opens the configured manifest; a manifest that cannot be used means the command cannot run.
    func openManifest(readOnly: Bool = false) throws -> Manifest {
        do {
            return try Manifest(path: state.database, readOnly: readOnly)
        } catch {
            throw SyncError.cannotRun("\(error)")
        }
    }

    /// The site's writer lock, or `cannotRun` naming who holds it.
    func lockWriters(purpose: String) throws -> WriterLock {
        do {
            return try WriterLock(manifest: state.database, purpose: purpose)
        } catch {
            throw SyncError.cannotRun("\(error)")
        }
    }

    /// Removes the temporary files interrupted runs left in the media directory and the posts.
    /// Only for a holder of the writer lock: while it is held, every temporary file is a dead
    /// process's.
    public func removeStaleTemporaries(logger: Logger) {
        let stale =
            ContentStore(root: StoreReadiness.localDirectory(for: self)).removeStaleTemporaries()
            + AtomicFile.removeTemporaries(under: site.posts, depth: 64)
        if stale > 0 { logger.notice("removed \(stale) temporary files left by an interrupted run") }
    }
}
