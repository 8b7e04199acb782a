import Testing

@testable import MirrorDaemon

struct SyncTriggerTests {
    @Test func requestsWhileBusyCoalesceIntoOnePass() async {
        let trigger = SyncTrigger()
        trigger.request("changed")
        trigger.request("changed")
        trigger.request("reload")
        #expect(await trigger.next(timeout: .seconds(1)) == ["changed", "reload"])
        #expect(await trigger.next(timeout: .milliseconds(50)) == nil)
    }

    @Test func aWaitingLoopWakesOnRequest() async {
        let trigger = SyncTrigger()
        Task {
            try? await Task.sleep(for: .milliseconds(100))
            trigger.request("changed")
        }
        // A timeout would return nil; the reason proves the request woke the wait.
        #expect(await trigger.next(timeout: .seconds(120)) == ["changed"])
    }

    @Test func closingEndsTheWait() async {
        let trigger = SyncTrigger()
        Task {
            try? await Task.sleep(for: .milliseconds(50))
            trigger.close()
        }
        #expect(await trigger.next(timeout: .seconds(120)) == nil)
        trigger.request("changed")
        #expect(await trigger.next(timeout: .milliseconds(50)) == nil)
    }
}
