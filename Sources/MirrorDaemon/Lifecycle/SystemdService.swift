import Foundation
import Logging
import MirrorEngine
import ServiceLifecycle

/// Tells systemd how the daemon is: READY=1 once the manifest is open and the server listens,
/// STATUS= lines as work advances, WATCHDOG=1 every half watchdog interval while the work loop's
/// heartbeat holds. (STOPPING=1 is sent by `ShutdownGuard` the moment a stop signal arrives.)
/// It runs on a thread of its own: image work can keep every thread of Swift's cooperative pool
/// busy for seconds, and a late ping would make systemd kill a healthy daemon. It is the first
/// service of the group, so graceful shutdown stops it last: the pings go on while a pass drains.
struct SystemdService: Service {
    let notifier: SystemdNotifier
    let heartbeat: Heartbeat
    let status: StatusBuilder
    let state: DaemonState
    let waker: ThreadWaker
    let logger: Logger

    func run() async throws {
        let completion = ThreadCompletion()
        let thread = Thread { [self] in
            loop()
            completion.finish()
        }
        thread.name = "mediamirror-systemd"
        thread.start()
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await completion.wait()
            } onGracefulShutdown: {
                waker.stop()
            }
        } onCancel: {
            waker.stop()
        }
    }

    private func loop() {
        let clock = ContinuousClock()
        let watchdogPeriod = notifier.watchdogInterval.map { $0 / 2 }
        var sentReady = false
        var lastStatus = ""
        var nextStatus = clock.now
        var nextPing = clock.now
        var stalledLogged = false
        var deadline = clock.now
        // Deadlines are on the monotonic clock (a wall-clock step must not delay a ping); the
        // wait is given as "so long from now", never longer than a second.
        while !waker.wait(until: Date(timeIntervalSinceNow: min(max(0, (deadline - clock.now).seconds), 1))) {
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
                } else {
                    if !stalledLogged {
                        logger.critical("the work loop stopped making progress; no more watchdog pings")
                        stalledLogged = true
                    }
                    nextPing = now + .milliseconds(100)
                }
            }
            // Until READY=1 the server's start wakes this thread; after it, the next status line
            // or ping is due.
            deadline = sentReady ? min(nextStatus, watchdogPeriod == nil ? nextStatus : nextPing) : now + .seconds(1)
        }
    }
}
