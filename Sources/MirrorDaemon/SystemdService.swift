import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Tells systemd how the daemon is: READY=1 once the manifest is open and the server listens,
/// STATUS= lines as work advances, WATCHDOG=1 every half watchdog interval while the work loop's
/// heartbeat holds, STOPPING=1 when shutdown begins.
/// It runs on a thread of its own: image work can keep every thread of Swift's cooperative pool
/// busy for seconds, and a late ping would make systemd kill a healthy daemon.
struct SystemdService: Service {
    let notifier: SystemdNotifier
    let heartbeat: Heartbeat
    let status: StatusBuilder
    let state: DaemonState
    let logger: Logger

    private final class Control: Sendable {
        let stop = Atomic<Bool>(false)
        let finished = Mutex<CheckedContinuation<Void, Never>?>(nil)
    }

    func run() async throws {
        let control = Control()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            control.finished.withLock { $0 = continuation }
            let thread = Thread { [self] in
                loop(control)
                control.finished.withLock { $0 }?.resume()
            }
            thread.name = "mediamirror-systemd"
            thread.start()
            Task {
                try? await gracefulShutdown()
                state.update { $0.stopping = true }
                control.stop.store(true, ordering: .releasing)
            }
        }
    }

    private func loop(_ control: Control) {
        let watchdogPeriod = notifier.watchdogInterval.map { $0 / 2 }
        let clock = ContinuousClock()
        var sentReady = false
        var lastStatus = ""
        var nextStatus = clock.now
        var nextPing = clock.now
        var stalledLogged = false
        while !control.stop.load(ordering: .acquiring) {
            let now = clock.now
            if !sentReady, state.isStarted {
                notifier.notify("READY=1\nSTATUS=started")
                sentReady = true
                logger.info("ready")
            }
            if sentReady, now >= nextStatus {
                let line = status.statusLine()
                if line != lastStatus {
                    notifier.notify("STATUS=" + line)
                    lastStatus = line
                }
                nextStatus = now + .seconds(1)
            }
            if sentReady, let watchdogPeriod, now >= nextPing {
                if heartbeat.isAlive {
                    notifier.notify("WATCHDOG=1")
                    nextPing = now + watchdogPeriod
                    stalledLogged = false
                } else if !stalledLogged {
                    logger.critical("the work loop stopped making progress; no more watchdog pings")
                    stalledLogged = true
                }
            }
            usleep(50_000)
        }
        notifier.notify("STOPPING=1\nSTATUS=stopping")
    }
}
