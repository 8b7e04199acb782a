import Crypto
import Foundation
import MirrorPosts
import MirrorStore
import TestSupport
import Testing

/// Archive rescue against a local archive (`Tests/Origin/archive.py`: the Wayback availability
/// API, `id_` raw captures and a Memento TimeGate): lost images come back from the capture
/// closest to their post's date; an HTML capture and a capture redirecting to a private address
/// store nothing; the archive never sees more than `rescue.per_host` requests at once and its
/// 429 is honoured; restore gives the posts back byte for byte.
@Suite(.serialized)
struct ArchiveRescueTests {
    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// `<archive>/<stamp>/<host>/<path>`, with its sidecars.
    static func capture(
        _ bytes: [UInt8], at stamp: String, of url: String, in root: URL, type: String? = nil, location: String? = nil
    ) throws {
        guard let parts = URLComponents(string: url), let host = parts.host else { return }
        let file = root.appendingPathComponent(stamp).appendingPathComponent(host).appendingPathComponent(
            String(parts.path.dropFirst()))
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        if let type { try type.write(to: URL(fileURLWithPath: file.path + ".type"), atomically: true, encoding: .utf8) }
        if let location {
            try location.write(to: URL(fileURLWithPath: file.path + ".location"), atomically: true, encoding: .utf8)
        }
    }

    static func epoch(_ stamp: String) -> Double {
        var parts = DateComponents()
        let digits = Array(stamp)
        let number = { (range: Range<Int>) in Int(String(digits[range])) ?? 0 }
        (parts.year, parts.month, parts.day) = (number(0..<4), number(4..<6), number(6..<8))
        (parts.hour, parts.minute, parts.second) = (number(8..<10), number(10..<12), number(12..<14))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        return calendar.date(from: parts)?.timeIntervalSince1970 ?? 0
    }

    @Test func lostImagesComeBackFromTheClosestCapture() throws {
        let placeholder = try TestImages.solidJPEG(width: 40, height: 30, red: 200, green: 200, blue: 200)
        let site = try TestSite("mediamirror-archive-rescue", configuration: "")
        defer { site.remove() }
        let archiveRoot = site.directory.appending("archive")
        try FileManager.default.createDirectory(at: archiveRoot, withIntermediateDirectories: true)
        let archive = try OriginServer(
            script: Paths.archive, root: archiveRoot, arguments: ["--delay", "150", "--first-429", "1"])
        defer { archive.stop() }
        try """
        fetch:
          allow_networks: ['127.0.0.1/32']
          placeholders: ['\(Self.sha256(placeholder))']
        thumbnails:
          widths: [16]
        rescue:
          enabled: true
          archives: ['wayback \(archive.baseURL)/wayback/available']

        """.write(to: site.config, atomically: true, encoding: .utf8)

        // Captures at several dates; each its own picture, so the stored bytes say which was chosen.
        var pictures: [String: [UInt8]] = [:]
        let dated: [(url: String, stamps: [String])] = [
            ("http://dead.test/a.jpg", ["20150101000000", "20160305000000", "20190101000000"]),
            ("http://dead.test/b.jpg", ["20150101000000", "20190520000000"]),
            ("http://127.0.0.1:1/refused.jpg", ["20180101000000"]),
            ("http://ph.test/ph.jpg", ["20170101000000"]),
        ]
        for (index, entry) in dated.enumerated() {
            for (number, stamp) in entry.stamps.enumerated() {
                let bytes = try TestImages.jpeg(width: 48, height: 36, seed: 100 + index * 10 + number)
                pictures[entry.url + "@" + stamp] = bytes
                try Self.capture(bytes, at: stamp, of: entry.url, in: archiveRoot)
            }
        }
        try Self.capture(
            Array("<!doctype html><html>not an image</html>".utf8), at: "20160101000000",
            of: "http://dead.test/page.jpg", in: archiveRoot, type: "text/html")
        try Self.capture(
            [], at: "20160101000000", of: "http://dead.test/private.jpg", in: archiveRoot,
            location: "http://10.0.0.1/x.jpg")
        try site.origin.serve(placeholder, host: "ph.test", path: "ph.jpg")
        try site.origin.serve(try TestImages.jpeg(width: 40, height: 30, seed: 1), host: "alive.test", path: "ok.jpg")

        let first = site.posts.appendingPathComponent("2016.md")
        let firstText = """
            ---
            title: Spring
            date: 2016-03-01 10:00:00
            ---
            ![a](http://dead.test/a.jpg)
            ![refused](http://127.0.0.1:1/refused.jpg)
            ![ph](http://ph.test/ph.jpg)
            ![page](http://dead.test/page.jpg)
            ![private](http://dead.test/private.jpg)
            ![never](http://dead.test/never.jpg)
            ![ok](http://alive.test/ok.jpg)

            """
        let second = site.posts.appendingPathComponent("2019.md")
        let secondText = "---\ndate: 2019-06-01T08:00:00+02:00\n---\n![b](http://dead.test/b.jpg)\n"
        try Data(firstText.utf8).write(to: first)
        try Data(secondText.utf8).write(to: second)
        var environment = ProcessRunner.environment(proxiedThrough: site.origin)
        environment["no_proxy"] = "127.0.0.1,10.0.0.1"
        let run = { (arguments: [String]) in
            try ProcessRunner.run(
                Paths.executable, arguments + ["--config", site.config.path], environment: environment)
        }
        let sync = try run(["sync"])
        #expect(sync.status == 1, "\(sync.stdout)\(sync.stderr)")

        let manifest = try Manifest(
            path: site.directory.appending("site/.mediamirror/manifest.sqlite").path, readOnly: true)
        let expected = [
            ("http://dead.test/a.jpg", "20160305000000"), ("http://dead.test/b.jpg", "20190520000000"),
            ("http://127.0.0.1:1/refused.jpg", "20180101000000"), ("http://ph.test/ph.jpg", "20170101000000"),
        ]
        for (url, stamp) in expected {
            let record = try #require(try manifest.urlRecord(url), "\(url)")
            #expect(record.status == .mirrored && record.fetchedVia == "archive", "\(record)")
            #expect(record.archiveCapture == "\(archive.baseURL)/web/\(stamp)id_/\(url)", "\(record)")
            #expect(record.capturedAt == Self.epoch(stamp), "\(record)")
            #expect(record.asset == Self.sha256(pictures[url + "@" + stamp] ?? []), "the closest capture: \(url)")
        }
        for (url, reason) in [
            ("http://dead.test/page.jpg", "not an image"),
            ("http://dead.test/private.jpg", "10.0.0.1 is a loopback, private"),
            ("http://dead.test/never.jpg", "no capture"),
        ] {
            let record = try #require(try manifest.urlRecord(url), "\(url)")
            #expect(record.status == .failed && record.rescueChecked != nil, "\(record)")
            #expect(record.failureMessage?.contains(reason) == true, "\(url): \(record.failureMessage ?? "")")
            #expect(record.httpStatus == 404, "the origin's answer stays the cause: \(record)")
        }
        let stored = try manifest.allAssets()
        #expect(stored.count == 5 && stored.allSatisfy { $0.format == "jpeg" }, "nothing fake is stored: \(stored)")
        let rewritten = try String(contentsOf: first, encoding: .utf8)
        #expect(!rewritten.contains("dead.test/a.jpg") && rewritten.contains("dead.test/page.jpg"), "\(rewritten)")

        let log = archive.requests()
        let inFlight = log.filter { $0.hasPrefix("IN-FLIGHT ") }.compactMap { Int($0.dropFirst("IN-FLIGHT ".count)) }
        #expect(inFlight.count >= 12 && inFlight.max() == 1, "rescue.per_host: 1 held at the archive: \(log)")
        let answers = log.filter { $0.hasPrefix("GET ") }
        #expect(answers.first?.hasSuffix(" 429") == true && answers.count == inFlight.count, "429 honoured: \(log)")

        let report = try run(["report", "--json"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let rescued = try #require(object["rescued"] as? [[String: Any]])
        #expect(rescued.count == 4, "\(rescued)")
        #expect(rescued.allSatisfy { $0["fetched_via"] as? String == "archive" })
        #expect(
            rescued.contains {
                ($0["posts"] as? [String]) == ["2019.md"] && $0["url"] as? String == "http://dead.test/b.jpg"
            })
        let text = try run(["report"])
        #expect(text.stdout.contains("rescued from web archives (4)"), "\(text.stdout)")

        // Nothing new to ask: the archives are not asked again before the retry time.
        let before = archive.requests().count
        #expect(try run(["sync"]).status == 1)
        #expect(archive.requests().count == before, "\(archive.requests().suffix(5))")

        #expect(try run(["restore"]).status == 0)
        #expect(try String(contentsOf: first, encoding: .utf8) == firstText)
        #expect(try String(contentsOf: second, encoding: .utf8) == secondText)
    }

    /// A Memento TimeGate: `Accept-Datetime` picks the capture, `Memento-Datetime` dates it.
    @Test func aMementoTimeGateIsAskedWithTheDate() throws {
        let site = try TestSite("mediamirror-memento-rescue", configuration: "")
        defer { site.remove() }
        let archiveRoot = site.directory.appending("archive")
        try FileManager.default.createDirectory(at: archiveRoot, withIntermediateDirectories: true)
        let archive = try OriginServer(script: Paths.archive, root: archiveRoot)
        defer { archive.stop() }
        try """
        fetch:
          allow_networks: ['127.0.0.1/32']
        thumbnails:
          widths: [16]
        rescue:
          archives: ['memento \(archive.baseURL)/timegate/']

        """.write(to: site.config, atomically: true, encoding: .utf8)
        let url = "http://gone.test/m.jpg"
        var pictures: [String: [UInt8]] = [:]
        for (number, stamp) in ["20100101000000", "20120601000000", "20200101000000"].enumerated() {
            let bytes = try TestImages.jpeg(width: 40, height: 30, seed: 300 + number)
            pictures[stamp] = bytes
            try Self.capture(bytes, at: stamp, of: url, in: archiveRoot)
        }
        let post = site.posts.appendingPathComponent("m.md")
        try Data("---\ndate: 2012-05-20\n---\n![m](\(url))\n".utf8).write(to: post)
        var environment = ProcessRunner.environment(proxiedThrough: site.origin)
        environment["no_proxy"] = "127.0.0.1"
        // rescue.enabled is false: --rescue turns it on for this run only.
        let plain = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", site.config.path], environment: environment)
        #expect(plain.status == 1 && archive.requests().isEmpty, "off by default: \(archive.requests())")
        let sync = try ProcessRunner.run(
            Paths.executable, ["sync", "--rescue", "--config", site.config.path], environment: environment)
        #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
        let manifest = try Manifest(
            path: site.directory.appending("site/.mediamirror/manifest.sqlite").path, readOnly: true)
        let record = try #require(try manifest.urlRecord(url))
        #expect(record.fetchedVia == "archive" && record.capturedAt == Self.epoch("20120601000000"), "\(record)")
        #expect(record.archiveCapture == "\(archive.baseURL)/memento/20120601000000/\(url)", "\(record)")
        #expect(record.asset == Self.sha256(pictures["20120601000000"] ?? []))
    }

    static func stamp(_ epoch: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        return formatter.string(from: Date(timeIntervalSince1970: epoch))
    }

    /// The samples with 30 % of their http URLs dead at the origin and half of those captured
    /// (at three dates around their post's date): every captured one comes back from the
    /// capture closest to its post's date, the others are reported, and the archive never has
    /// more than `rescue.per_host` requests in flight.
    @Test func aThirdOfTheSamplesDeadAndHalfOfThemRescued() throws {
        let site = try CorpusSite("mediamirror-rescue-corpus", configuration: "")
        defer { site.remove() }
        let originRoot = site.directory.appending("origin")
        let archiveRoot = site.directory.appending("archive")
        for root in [originRoot, archiveRoot] {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        }
        let origin = try OriginServer(root: originRoot)
        defer { origin.stop() }
        let archive = try OriginServer(script: Paths.archive, root: archiveRoot, arguments: ["--delay", "20"])
        defer { archive.stop() }
        try """
        fetch:
          concurrency: 16
          per_host: 8
          attempts: 1
          allow_networks: ['127.0.0.1/32']
        thumbnails:
          widths: [8]
        rescue:
          enabled: true
          per_host: 2
          archives: ['wayback \(archive.baseURL)/wayback/available']

        """.write(to: site.config, atomically: true, encoding: .utf8)

        // Each http URL with the date an archive is asked for: its earliest post's.
        var dates: [String: Double] = [:]
        for relative in site.originals.keys.sorted() {
            let bytes = [UInt8](site.originals[relative] ?? Data())
            let path = site.posts.appendingPathComponent(relative).path
            guard
                let date = PostDate.parse(bytes)
                    ?? ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date)?
                    .timeIntervalSince1970
            else { continue }
            for reference in CorpusSite.scanner.scan(bytes, isMarkdown: CorpusSite.isMarkdown(relative)).references {
                guard let url = reference.target?.url, url.hasPrefix("http://"),
                    let components = URLComponents(string: url), components.host != nil,
                    !components.path.isEmpty, !components.path.hasSuffix("/"), components.query == nil
                else { continue }
                dates[url] = min(dates[url] ?? date, date)
            }
        }
        let pictures = try (0..<4).map { try TestImages.jpeg(width: 24 + $0 * 8, height: 16, seed: 40 + $0) }
        var dead: [String] = []
        for url in dates.keys.sorted() {
            guard let components = URLComponents(string: url), let host = components.host else { continue }
            if Array(SHA256.hash(data: Data(url.utf8)))[0] % 10 < 3 {
                dead.append(url)
            } else {
                try origin.serve(pictures[3], host: host, path: String(components.path.dropFirst()))
            }
        }
        let captured = Set(dead.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        for url in captured {
            let date = dates[url] ?? 0
            for (index, offset) in [-400.0, 20, 900].enumerated() {
                try Self.capture(pictures[index], at: Self.stamp(date + offset * 86400), of: url, in: archiveRoot)
            }
        }
        #expect(dates.count > 300 && dead.count > 60 && captured.count > 30, "\(dates.count) \(dead.count)")

        let sync = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", site.config.path],
            environment: ProcessRunner.environment(proxiedThrough: origin).merging(["no_proxy": "127.0.0.1"]) { $1 })
        #expect(sync.status == 1, "\(sync.stderr.suffix(2000))")
        let manifest = try Manifest(path: site.database.path, readOnly: true)
        let closest = Self.sha256(pictures[1])
        var rescued = 0
        for url in dead {
            let record = try #require(try manifest.urlRecord(url), "\(url)")
            if captured.contains(url) {
                #expect(record.fetchedVia == "archive" && record.asset == closest, "\(url): \(record)")
                rescued += record.fetchedVia == "archive" ? 1 : 0
            } else {
                #expect(record.status == .failed && record.rescueChecked != nil, "\(url): \(record)")
                #expect(record.failureMessage?.contains("no capture") == true, "\(record)")
            }
        }
        #expect(rescued == captured.count)
        let inFlight = archive.requests().filter { $0.hasPrefix("IN-FLIGHT ") }.compactMap {
            Int($0.dropFirst("IN-FLIGHT ".count))
        }
        #expect(inFlight.count >= dead.count + captured.count, "every lookup and capture went to the archive")
        #expect(inFlight.max() == 2, "rescue.per_host: 2, and used: \(inFlight.max() ?? 0)")

        let restore = try ProcessRunner.run(Paths.executable, ["restore", "--config", site.config.path])
        #expect(restore.status == 0, "\(restore.stderr)")
        for (relative, original) in site.originals {
            #expect(try Data(contentsOf: site.posts.appendingPathComponent(relative)) == original, "\(relative)")
        }
    }
}
