import Foundation
import Testing

@testable import MirrorDaemon

struct HeartbeatTests {
    @Test func aBeatHoldsForItsAllowanceOnly() {
        let heartbeat = Heartbeat(within: .milliseconds(100))
        #expect(heartbeat.isAlive)
        usleep(150_000)
        #expect(!heartbeat.isAlive, "a loop that stopped beating must stop the watchdog pings")
        heartbeat.beat(within: .seconds(10))
        #expect(heartbeat.isAlive)
    }
}
