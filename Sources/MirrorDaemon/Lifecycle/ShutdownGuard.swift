import Foundation
import Logging
import MirrorEngine
import Synchronization

/// The promise that the daemon always ends: from the first SIGTERM or SIGINT (or a service that
/// failed), the process has `limit` to finish its graceful shutdown, and is then ended with exit
/// status 3 whatever it is doing. It watches the signals on a dispatch queue of its own, beside
/// the service group's own handling, so neither a busy cooperative pool nor a service that
/// ignores cancellation can hold the process. It also tells systemd STOPPING=1 at once.
final class ShutdownGuard: @unchecked Sendable {
    private let queue = DispatchQueue(label: "mediamirror.shutdown-guard")
    // Set once by `watchSignals`, before any other thread can see this object, and only kept
    // alive after that (dispatch sources are thread-safe).
    private var sources: [any DispatchSourceSignal] = []
    private let armed = Atomic<Bool>(false)
    private let requested = Atomic<Bool>(false)
    private let notifier: SystemdNotifier
    private let state: DaemonState

    static let exitStatus: Int32 = 3

    init(notifier: SystemdNotifier, state: DaemonState) {
        self.notifier = notifier
        self.state = state
    }

    /// Starts watching SIGTERM and SIGINT; `limit` is how long a stop may take.
    func watchSignals(limit: Duration) {
        var started: [any DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT] {
            // The default action would end the process before any handler ran.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            let name = number == SIGTERM ? "SIGTERM" : "SIGINT"
            source.setEventHandler { [self] in
                requested.store(true, ordering: .releasing)
                state.update { $0.stopping = true }
                notifier.notify("STOPPING=1\nSTATUS=stopping (\(name))")
                arm(after: limit, reason: "\(name) received")
            }
            source.resume()
            started.append(source)
        }
        sources = started
    }

    /// True once a stop signal arrived (possibly before the service group was running).
    var stopRequested: Bool {
        requested.load(ordering: .acquiring)
    }

    /// Ends the process `limit` from now unless it ended by itself; only the first call counts.
    func arm(after limit: Duration, reason: String) {
        guard !armed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let milliseconds = Int(limit.seconds * 1000)
        // Prepared now: at the deadline nothing may block (a logger or a flush could, on a
        // stalled journal pipe), so one write(2) that cannot wait, then _exit.
        let line = Array(
            "<2>mediamirror: shutdown did not finish within \(limit.seconds) s after \(reason); exiting\n".utf8)
        queue.asyncAfter(deadline: .now() + .milliseconds(milliseconds)) {
            _ = fcntl(STDERR_FILENO, F_SETFL, fcntl(STDERR_FILENO, F_GETFL) | O_NONBLOCK)
            _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            _exit(Self.exitStatus)
        }
    }
}
