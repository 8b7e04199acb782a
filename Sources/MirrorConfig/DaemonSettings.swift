/// `daemon.*`: how the long-running service schedules its work.
public struct DaemonSettings: Sendable, Equatable {
    /// Seconds between periodic passes over the whole posts tree, besides the watcher's passes.
    public var rescanInterval: Int
    /// Quiet time, in milliseconds, after the last change in the posts tree before a pass starts.
    public var debounceMilliseconds: Int
    /// Watch the posts tree with inotify; when off, only the periodic passes run.
    public var watch: Bool
    /// Below this many free bytes in the media directory's file system, `/readyz` answers 503.
    public var minFreeBytes: Int
    /// Seconds in-flight work may take to finish after SIGTERM before it is abandoned.
    public var stopTimeout: Int
    /// Seconds after which a mirrored image's origin is asked again whether it still serves it
    /// (a conditional request; 404/410 marks it gone, the copy stays); 0 never asks.
    public var revalidateInterval: Int

    public init(
        rescanInterval: Int = 3600,
        debounceMilliseconds: Int = 500,
        watch: Bool = true,
        minFreeBytes: Int = 104_857_600,
        stopTimeout: Int = 5,
        revalidateInterval: Int = 604_800
    ) {
        self.rescanInterval = rescanInterval
        self.debounceMilliseconds = debounceMilliseconds
        self.watch = watch
        self.minFreeBytes = minFreeBytes
        self.stopTimeout = stopTimeout
        self.revalidateInterval = revalidateInterval
    }
}
