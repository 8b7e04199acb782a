import Foundation
import Synchronization

/// Whether the work loop is alive. The loop beats while it waits for work, promising the next
/// beat within a few seconds; the sync engine beats on every step of a pass, promising the next
/// within the longest a transfer may take. The watchdog pings systemd only while the last promise
/// holds, so a stuck loop stops the pings and systemd restarts the service.
public final class Heartbeat: Sendable {
    /// Monotonic nanoseconds by which the next beat is due.
    private let deadline = Atomic<UInt64>(0)

    public init(within allowance: Duration = .seconds(5)) {
        beat(within: allowance)
    }

    public func beat(within allowance: Duration) {
        let (seconds, attoseconds) = allowance.components
        let nanoseconds = UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
        deadline.store(Self.now() &+ nanoseconds, ordering: .relaxed)
    }

    /// True while the last beat's promise holds.
    public var isAlive: Bool {
        Self.now() <= deadline.load(ordering: .relaxed)
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
