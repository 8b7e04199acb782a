import Foundation

/// Lets a dedicated thread sleep until a deadline, a `wake()` or a `stop()`, whichever comes
/// first. The daemon's own threads (the systemd notifier's) wait on this instead of polling, so
/// a stop takes effect at once rather than at the next tick.
final class ThreadWaker: @unchecked Sendable {
    // NSCondition is thread-safe; `stopped` and `woken` are only touched while it is locked.
    private let condition = NSCondition()
    private var stopped = false
    private var woken = false

    /// Sleeps until `deadline` or an earlier `wake()`/`stop()`; true once stopped.
    func wait(until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && !woken {
            if !condition.wait(until: deadline) { break }
        }
        woken = false
        return stopped
    }

    /// Ends the current or next `wait` early.
    func wake() {
        condition.lock()
        woken = true
        condition.signal()
        condition.unlock()
    }

    /// Every `wait` from now on returns true at once.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }
}
