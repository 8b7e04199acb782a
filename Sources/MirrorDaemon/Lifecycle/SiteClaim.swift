import Foundation
import Logging
import MirrorConfig
import MirrorEngine
import MirrorStore

/// What the daemon holds for its whole life: the site's writer lock (so a `sync`, `restore`,
/// `gc` or second daemon started meanwhile refuses to run, naming this process), a writable
/// media directory and the one manifest every pass uses.
struct SiteClaim: Sendable {
    let lock: WriterLock
    let manifest: Manifest

    init(configuration: MirrorConfiguration, logger: Logger) throws(StartFailure) {
        let stateDirectory = (configuration.state.database as NSString).deletingLastPathComponent
        do {
            try AtomicFile.makeDirectories(stateDirectory)
        } catch {
            throw StartFailure("the state directory \(stateDirectory) cannot be created: \(error)", errno: EACCES)
        }
        do {
            lock = try WriterLock(manifest: configuration.state.database, purpose: "daemon")
        } catch let held as WriterLock.Held {
            throw StartFailure("\(held.description)", errno: EBUSY)
        } catch {
            throw StartFailure("\(error)", errno: EACCES)
        }
        if let problem = StoreReadiness.configurationProblem(for: configuration) {
            throw StartFailure(problem, errno: EINVAL)
        }
        try Self.checkWritable(StoreReadiness.localDirectory(for: configuration))
        do {
            manifest = try Manifest(path: configuration.state.database)
        } catch {
            throw StartFailure("\(error)", errno: EIO)
        }
        configuration.removeStaleTemporaries(logger: logger)
    }

    /// Creates the media directory if needed and proves a file can be written in it: the
    /// permission bits alone say nothing for root, or on a read-only mount.
    static func checkWritable(_ media: String) throws(StartFailure) {
        do {
            try AtomicFile.makeDirectories(media)
        } catch {
            throw StartFailure("the media directory \(media) cannot be created: \(error)", errno: EACCES)
        }
        let probe = (media as NSString).appendingPathComponent(".mm-tmp-writable-\(getpid())")
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let error = errno
            throw StartFailure(
                "the media directory \(media) is not writable: \(String(cString: strerror(error)))", errno: error)
        }
        close(descriptor)
        unlink(probe)
    }
}
