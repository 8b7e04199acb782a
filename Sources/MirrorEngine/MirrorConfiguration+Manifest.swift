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
}
