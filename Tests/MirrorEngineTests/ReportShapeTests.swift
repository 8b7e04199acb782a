import Foundation
import Testing

@testable import MirrorEngine

/// `report --json` keeps its shape: every key is written, absent values as null, except where a
/// key has always been left out (a gone URL's unknown hash).
struct ReportShapeTests {
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func report(absent: Bool) -> Report {
        var totals = Report.Totals()
        totals.posts = 1
        totals.verdicts = ["match": 1]
        var report = Report(
            references: [
                Report.Reference(
                    post: "p.md", place: "<img> #0 src", kind: "html_attribute", line: 3, originalValue: "o",
                    url: absent ? nil : "http://x/a.png", localValue: absent ? nil : "/m/a.png",
                    declared: absent ? nil : [1, 2], actual: absent ? nil : [3, 4], verdict: absent ? nil : "scaled",
                    sha256: absent ? nil : "ab")
            ],
            assets: [
                Report.Asset(
                    sha256: "ab", path: "/m/ab.png", bytes: 9, type: "png", width: 1, height: 2, orientation: 1,
                    displayedWidth: 1, displayedHeight: 2,
                    thumbnails: [Report.Thumbnail(width: 1, height: 2, path: "/m/t.png", format: "png")])
            ],
            failures: [
                Report.Failure(
                    url: "u", host: "h", class: "http_status", message: "m", attempts: 2,
                    httpStatus: absent ? nil : 404, rescueChecked: absent ? nil : 7)
            ],
            gone: [Report.Gone(url: "g", since: 5, sha256: absent ? nil : "cd")],
            totals: totals)
        if !absent {
            report.refererRules = [
                Report.RefererRule(host: "h", referer: "origin", url: "http://h/a.jpg", learnedAt: 6)
            ]
            report.suspects = [Report.Suspect(host: "h", sha256: "ab", actual: [1, 2], urls: ["a", "b", "c"])]
            report.rescued = [
                Report.Rescued(
                    url: "r", fetchedVia: "archive", archiveURL: "http://a/web/1id_/r", capturedAt: 8, sha256: "ef",
                    posts: ["p.md"])
            ]
        }
        return report
    }

    @Test func absentValuesAreNull() throws {
        #expect(
            try Self.json(Self.report(absent: true))
                == #"{"assets":[{"bytes":9,"displayed_height":2,"displayed_width":1,"height":2,"orientation":1,"path":"/m/ab.png","sha256":"ab","thumbnails":[{"format":"png","height":2,"path":"/m/t.png","width":1}],"type":"png","width":1}],"failures":[{"attempts":2,"class":"http_status","host":"h","http_status":null,"message":"m","rescue_checked":null,"url":"u"}],"gone":[{"since":5,"url":"g"}],"references":[{"actual":null,"declared":null,"kind":"html_attribute","line":3,"local_value":null,"original_value":"o","place":"<img> #0 src","post":"p.md","sha256":null,"url":null,"verdict":null}],"referer_rules":[],"rescued":[],"suspects":[],"totals":{"asset_bytes":0,"assets":0,"failures":0,"local":0,"posts":1,"references":0,"thumbnails":0,"verdicts":{"match":1}}}"#
        )
    }

    @Test func presentValuesAreWritten() throws {
        #expect(
            try Self.json(Self.report(absent: false))
                == #"{"assets":[{"bytes":9,"displayed_height":2,"displayed_width":1,"height":2,"orientation":1,"path":"/m/ab.png","sha256":"ab","thumbnails":[{"format":"png","height":2,"path":"/m/t.png","width":1}],"type":"png","width":1}],"failures":[{"attempts":2,"class":"http_status","host":"h","http_status":404,"message":"m","rescue_checked":7,"url":"u"}],"gone":[{"sha256":"cd","since":5,"url":"g"}],"references":[{"actual":[3,4],"declared":[1,2],"kind":"html_attribute","line":3,"local_value":"/m/a.png","original_value":"o","place":"<img> #0 src","post":"p.md","sha256":"ab","url":"http://x/a.png","verdict":"scaled"}],"referer_rules":[{"host":"h","learned_at":6,"referer":"origin","url":"http://h/a.jpg"}],"rescued":[{"archive_url":"http://a/web/1id_/r","captured_at":8,"fetched_via":"archive","posts":["p.md"],"sha256":"ef","url":"r"}],"suspects":[{"actual":[1,2],"host":"h","sha256":"ab","urls":["a","b","c"]}],"totals":{"asset_bytes":0,"assets":0,"failures":0,"local":0,"posts":1,"references":0,"thumbnails":0,"verdicts":{"match":1}}}"#
        )
    }

    @Test func reportRoundTrips() throws {
        for absent in [true, false] {
            let report = Self.report(absent: absent)
            #expect(try JSONDecoder().decode(Report.self, from: Data(try Self.json(report).utf8)) == report)
        }
    }
}
