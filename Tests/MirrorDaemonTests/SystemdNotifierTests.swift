import Foundation
import TestSupport
import Testing

@testable import MirrorDaemon

struct SystemdNotifierTests {
    @Test func messagesReachTheSocketNamedInTheEnvironment() async throws {
        let directory = try TemporaryDirectory("mediamirror-notify")
        defer { directory.remove() }
        let socket = try NotifySocket(path: directory.appending("n.sock").path)
        defer { socket.stop() }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "2000000"])
        #expect(notifier.watchdogInterval == .seconds(2))
        #expect(notifier.notify("READY=1\nSTATUS=hello"))
        #expect(await eventually(within: .seconds(2)) { !socket.messages(containing: "READY=1").isEmpty })
        #expect(socket.received.first?.text == "READY=1\nSTATUS=hello")
    }

    @Test func withoutASocketNothingIsSent() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.notify("READY=1"))
        #expect(notifier.watchdogInterval == nil)
    }

    @Test func aWatchdogMeantForAnotherProcessIsIgnored() {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"])
        #expect(getpid() == 1 || notifier.watchdogInterval == nil)
    }
}
