import MirrorConfig
import Testing

@testable import MirrorDaemon

struct ReadinessTests {
    static let configuration = MirrorConfiguration(
        site: SiteSettings(posts: "/p", media: "/m", urlPrefix: "/m", baseURL: ""),
        state: StateSettings(database: "/d"))

    @Test func readyOnlyAfterTheFirstPassWithAWritableRoomyMediaDirectory() {
        var state = DaemonState.Snapshot()
        let roomy = DiskSpace(directory: "/m", freeBytes: 10_000_000_000, writable: true)
        #expect(Readiness.problem(state: state, disk: roomy, configuration: Self.configuration) != nil)
        state.firstPassFinished = true
        #expect(Readiness.problem(state: state, disk: roomy, configuration: Self.configuration) == nil)
        let readOnly = DiskSpace(directory: "/m", freeBytes: 10_000_000_000, writable: false)
        #expect(
            Readiness.problem(state: state, disk: readOnly, configuration: Self.configuration)?.contains("not writable")
                == true)
        let full = DiskSpace(directory: "/m", freeBytes: 1000, writable: true)
        #expect(
            Readiness.problem(state: state, disk: full, configuration: Self.configuration)?.contains("min_free_bytes")
                == true)
        state.stopping = true
        #expect(Readiness.problem(state: state, disk: roomy, configuration: Self.configuration) == "shutting down")
    }
}
