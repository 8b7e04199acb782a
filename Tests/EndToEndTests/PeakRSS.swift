import Foundation
import TestSupport
import Testing

/// `mediamirror` run through `Tests/Imaging/peak_rss.py`: its exit status and peak resident set.
struct PeakRSS {
    var status: Int?
    var maxRSSKB: Int

    static func of(_ arguments: [String]) throws -> PeakRSS {
        let script = Paths.repository.appendingPathComponent("Tests/Imaging/peak_rss.py").path
        let run = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script, Paths.executable.path] + arguments)
        let result = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Int], "\(run.stderr)")
        return PeakRSS(status: result["status"], maxRSSKB: result["max_rss_kb"] ?? .max)
    }
}
