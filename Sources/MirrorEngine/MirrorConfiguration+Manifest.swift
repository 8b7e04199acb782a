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
}
