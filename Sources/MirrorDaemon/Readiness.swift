import MirrorConfig

/// `/readyz`'s rule: ready once the first pass finished, while the media directory is writable
/// and its file system has room.
enum Readiness {
    /// nil when ready, else the reason.
    static func problem(state: DaemonState.Snapshot, disk: DiskSpace, configuration: MirrorConfiguration) -> String? {
        if state.stopping { return "shutting down" }
        if !state.firstPassFinished { return "the first pass has not finished" }
        if !disk.writable { return "the media directory \(disk.directory) is not writable" }
        if let free = disk.freeBytes, free < configuration.daemon.minFreeBytes {
            return
                "only \(free) bytes free for \(disk.directory) (daemon.min_free_bytes is \(configuration.daemon.minFreeBytes))"
        }
        return nil
    }
}
