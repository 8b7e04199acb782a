import Foundation
import Synchronization
import TestSupport
import Testing

/// A writer edits posts (in place, and through a temporary file and a rename, as editors save)
/// while the daemon syncs the sample corpus; no edit may ever be lost, and once the writer
/// stops every image it added is mirrored. CI edits for 8 s; MEDIAMIRROR_EDIT_SECONDS sets the
/// long run's duration (RELIABILITY.md).
@Suite(.serialized)
struct DaemonEditSuiteTests {
    static let seconds = Int(ProcessInfo.processInfo.environment["MEDIAMIRROR_EDIT_SECONDS"] ?? "") ?? 8

    final class Ledger: Sendable {
        /// Post → the markers appended to it, in order.
        let markers = Mutex<[String: [String]]>([:])
        let edits = Atomic<Int>(0)
        let inPlace = Atomic<Int>(0)
    }

    @Test func noEditIsLostWhileTheDaemonSyncs() async throws {
        let port = FreePort.next()
        let site = try CorpusSite(
            "mediamirror-edits",
            configuration: """
                scan:
                  unwrap: ['https://cors.zfour.workers.dev/?']
                fetch:
                  attempts: 1
                  connect_timeout: 3
                thumbnails:
                  widths: [24]
                health:
                  listen: 127.0.0.1:\(port)
                daemon:
                  debounce_ms: 100

                """)
        defer { site.remove() }
        let pictures = site.directory.appending("pictures")
        try FileManager.default.createDirectory(at: pictures, withIntermediateDirectories: true)
        for index in 0..<4 {
            try Data(try TestImages.jpeg(width: 40 + index * 8, height: 30, seed: index))
                .write(to: pictures.appendingPathComponent("p\(index).jpg"))
        }
        let originRoot = site.directory.appending("origin")
        try FileManager.default.createDirectory(at: originRoot, withIntermediateDirectories: true)
        let origin = try OriginServer(root: originRoot, arguments: ["--fallback", pictures.path])
        defer { origin.stop() }
        let daemon = try DaemonProcess(
            config: site.config, environment: ProcessRunner.environment(proxiedThrough: origin),
            logFile: site.directory.appending("daemon.log"))
        let base = "http://127.0.0.1:\(port)"
        let listening = waitUntil(within: .seconds(20)) {
            (try? DaemonTests.endpoint(base + "/healthz").status) == 200
        }
        try #require(listening, "log:\n\(daemon.log)")

        // The writer runs on a thread of its own, starting while the first pass is under way.
        let ledger = Ledger()
        let posts = Array(site.originals.keys).sorted().filter { CorpusSite.isMarkdown($0) }.prefix(60)
        let deadline = ContinuousClock.now + .seconds(Self.seconds)
        let writer = Thread {
            var random = SplitMix(seed: 42)
            var number = 0
            while ContinuousClock.now < deadline {
                number += 1
                let relative = posts[Int(random.next() % UInt64(posts.count))]
                let path = site.posts.appendingPathComponent(relative).path
                guard let current = FileManager.default.contents(atPath: path) else { continue }
                let marker = "<!-- edit \(number) -->"
                let addition = "\n\(marker)\n<img src=\"http://img.test/edit-\(number).jpg\">\n"
                let bytes = [UInt8](current) + Array(addition.utf8)
                if random.next() % 2 == 0 {
                    // In place: truncate and write in one call, as simple tools do.
                    let descriptor = open(path, O_WRONLY | O_TRUNC)
                    guard descriptor >= 0 else { continue }
                    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                    close(descriptor)
                    ledger.inPlace.add(1, ordering: .relaxed)
                } else {
                    let temporary = (path as NSString).deletingLastPathComponent + "/.\(number).swp"
                    guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)),
                        rename(temporary, path) == 0
                    else { continue }
                }
                ledger.markers.withLock { $0[relative, default: []].append(marker) }
                ledger.edits.add(1, ordering: .relaxed)
                usleep(UInt32(10_000 + random.next() % 60_000))
            }
        }
        writer.start()
        while ContinuousClock.now < deadline + .milliseconds(200) {
            try await Task.sleep(for: .milliseconds(200))
        }
        let markers = ledger.markers.withLock { $0 }
        let edits = ledger.edits.load(ordering: .relaxed)
        print(
            "edit suite: \(edits) edits (\(ledger.inPlace.load(ordering: .relaxed)) in place) on \(markers.count) posts in \(Self.seconds) s"
        )
        #expect(edits > Self.seconds * 10)

        // Settled: every added image mirrored (the origin serves them all).
        let settled = waitUntil(within: .seconds(90)) {
            markers.keys.allSatisfy { relative in
                let text = String(
                    decoding: (try? Data(contentsOf: site.posts.appendingPathComponent(relative))) ?? Data(),
                    as: UTF8.self)
                return !text.contains("http://img.test/edit-")
            }
        }
        #expect(settled, "added images not all mirrored; log:\n\(daemon.log.suffix(3000))")
        // Not one edit lost, in order.
        var lost: [String] = []
        for (relative, expected) in markers {
            let text = String(
                decoding: try Data(contentsOf: site.posts.appendingPathComponent(relative)), as: UTF8.self)
            var searchFrom = text.startIndex
            for marker in expected {
                guard let found = text.range(of: marker, range: searchFrom..<text.endIndex) else {
                    lost.append("\(relative): \(marker)")
                    continue
                }
                searchFrom = found.upperBound
            }
        }
        #expect(lost.isEmpty, "lost edits: \(lost.prefix(20))")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(15)) == 0)
        #expect(site.temporaryFiles().isEmpty, "\(site.temporaryFiles())")
    }
}
