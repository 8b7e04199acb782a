/// Why a sync could not run at all (as opposed to individual references failing).
public enum SyncError: Error, CustomStringConvertible {
    /// The manifest is locked or broken, a directory is missing, the disk is full: exit code 3.
    case cannotRun(String)

    public var description: String {
        switch self {
        case .cannotRun(let reason): return reason
        }
    }
}
