import Foundation
import TestSupport
import Testing

/// The unit files pass `systemd-analyze verify` and the service's exposure is at most 1.5.
/// The units name /usr/local/bin/mediamirror; the copies checked here name the binary just
/// built instead, so verify can check the command exists without installing anything.
struct SystemdUnitTests {
    static let units = ["mediamirror.service", "mediamirror-sync.service", "mediamirror-sync.timer"]

    func copies() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("mediamirror-units")
        for unit in Self.units {
            let text = try String(
                contentsOf: Paths.repository.appendingPathComponent("systemd/\(unit)"), encoding: .utf8)
            try text.replacingOccurrences(of: "/usr/local/bin/mediamirror", with: Paths.executable.path)
                .write(to: directory.appending(unit), atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func unitsVerifyCleanly() throws {
        let directory = try copies()
        defer { directory.remove() }
        let result = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["systemd-analyze", "verify", "--man=no"] + Self.units.map { "./\($0)" },
            in: directory.url)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test func serviceExposureIsAtMostOnePointFive() throws {
        let directory = try copies()
        defer { directory.remove() }
        let result = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["systemd-analyze", "security", "--offline=true", "--threshold=15", "./mediamirror.service"],
            in: directory.url)
        let output = result.stdout + result.stderr
        #expect(result.status == 0, "\(output)")
        let line = output.split(separator: "\n").first { $0.contains("Overall exposure level") }
        let level = line.flatMap { text in
            text.split(separator: " ").compactMap { Double($0) }.first
        }
        #expect(level.map { $0 <= 1.5 } == true, "\(line ?? "no exposure line")")
    }
}
