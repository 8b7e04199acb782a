import Foundation
import MirrorEngine
import Testing

@testable import MirrorDaemon

/// `/status` keeps its shape: every key is written, absent values as null (scripts read a fixed
/// shape), except the progress's start, which is left out while unknown.
struct StatusShapeTests {
    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try StatusReport.jsonEncoder().encode(value), as: UTF8.self)
    }

    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static func report(absent: Bool) -> StatusReport {
        let pass = PassRecord(
            startedAt: start, finishedAt: start.addingTimeInterval(2), outcome: .ok, reasons: ["startup"],
            summary: nil, error: absent ? nil : "boom")
        return StatusReport(
            version: "test", pid: 42, startedAt: start, uptimeSeconds: 5, ready: absent,
            notReady: absent ? nil : "disk", syncing: !absent,
            progress: absent
                ? nil
                : StatusReport.Progress(
                    phase: "fetching", startedAt: nil, postsScanned: 1, urls: 2, urlsSettled: 3, urlsFailed: 4,
                    bytesDownloaded: 5, postsRewritten: 6),
            passes: 1, lastPass: absent ? nil : pass, lastSuccessAt: absent ? nil : start,
            backlog: StatusReport.Backlog(postsPending: 1, urlsFailed: 2, nextRetryAt: absent ? nil : start),
            counts: StatusReport.Counts(
                posts: 1, references: 2, referencesMirrored: 3, urlsMirrored: 4, urlsFailed: 5, assets: 6,
                thumbnails: 7),
            failingHosts: [StatusReport.FailingHost(host: "h", urls: 1)],
            disk: DiskSpace(directory: "/m", freeBytes: absent ? nil : 10, writable: true),
            watcher: StatusReport.Watcher(enabled: true, directories: 2, events: 3, error: absent ? nil : "gone"),
            configuration: StatusReport.ConfigurationState(
                file: absent ? nil : "/c.yaml", reloads: 1, lastReloadAt: absent ? nil : start,
                reloadError: absent ? nil : "bad", restartRequired: ["x"], values: ["a": "b"]))
    }

    @Test func absentValuesAreNull() throws {
        #expect(
            try Self.json(Self.report(absent: true))
                == #"{"backlog":{"next_retry_at":null,"posts_pending":1,"urls_failed":2},"configuration":{"file":null,"last_reload_at":null,"reload_error":null,"reloads":1,"restart_required":["x"],"values":{"a":"b"}},"counts":{"assets":6,"posts":1,"references":2,"references_mirrored":3,"thumbnails":7,"urls_failed":5,"urls_mirrored":4},"disk":{"directory":"/m","free_bytes":null,"writable":true},"failing_hosts":[{"host":"h","urls":1}],"last_pass":null,"last_success_at":null,"not_ready":null,"passes":1,"pid":42,"progress":null,"ready":true,"started_at":"2023-11-14T22:13:20Z","syncing":false,"uptime_seconds":5,"version":"test","watcher":{"directories":2,"enabled":true,"error":null,"events":3}}"#
        )
    }

    @Test func presentValuesAreWritten() throws {
        #expect(
            try Self.json(Self.report(absent: false))
                == #"{"backlog":{"next_retry_at":"2023-11-14T22:13:20Z","posts_pending":1,"urls_failed":2},"configuration":{"file":"/c.yaml","last_reload_at":"2023-11-14T22:13:20Z","reload_error":"bad","reloads":1,"restart_required":["x"],"values":{"a":"b"}},"counts":{"assets":6,"posts":1,"references":2,"references_mirrored":3,"thumbnails":7,"urls_failed":5,"urls_mirrored":4},"disk":{"directory":"/m","free_bytes":10,"writable":true},"failing_hosts":[{"host":"h","urls":1}],"last_pass":{"error":"boom","finished_at":"2023-11-14T22:13:22Z","outcome":"ok","posts_rewritten":0,"posts_scanned":0,"reasons":["startup"],"seconds":2,"started_at":"2023-11-14T22:13:20Z","urls":0,"urls_failed":0,"urls_fetched":0},"last_success_at":"2023-11-14T22:13:20Z","not_ready":"disk","passes":1,"pid":42,"progress":{"bytes_downloaded":5,"phase":"fetching","posts_rewritten":6,"posts_scanned":1,"urls":2,"urls_failed":4,"urls_settled":3},"ready":false,"started_at":"2023-11-14T22:13:20Z","syncing":true,"uptime_seconds":5,"version":"test","watcher":{"directories":2,"enabled":true,"error":"gone","events":3}}"#
        )
    }

    @Test func passRecordRoundTrips() throws {
        let pass = PassRecord(
            startedAt: Self.start, finishedAt: Self.start, outcome: .someFailed, reasons: [], summary: nil,
            error: nil)
        #expect(try Self.json(pass).contains(#""error":null"#))
        let decoder = StatusReport.jsonDecoder()
        #expect(try decoder.decode(PassRecord.self, from: Data(try Self.json(pass).utf8)) == pass)
        let disk = DiskSpace(directory: "/m", freeBytes: nil, writable: false)
        #expect(try decoder.decode(DiskSpace.self, from: Data(try Self.json(disk).utf8)) == disk)
        #expect(try decoder.decode(DiskSpace.self, from: Data(#"{"directory":"/m","writable":false}"#.utf8)) == disk)
    }
}
