import Foundation
import TestSupport
import Testing

/// `mediamirror sync` killed with SIGKILL at random moments while it syncs a copy of the sample
/// corpus against an origin that injects faults; then one clean sync. Nothing may be lost or
/// damaged: see `PostInvariants`. CI kills 10 times; MEDIAMIRROR_CRASH_KILLS=50 for the long run
/// (RELIABILITY.md), MEDIAMIRROR_CRASH_SEED to replay a run.
@Suite(.serialized)
struct CrashSuiteTests {
    static let environment = ProcessInfo.processInfo.environment
    static let kills = Int(environment["MEDIAMIRROR_CRASH_KILLS"] ?? "") ?? 10
    static let seed = UInt64(environment["MEDIAMIRROR_CRASH_SEED"] ?? "") ?? UInt64.random(in: 1...1_000_000)

    @Test func killNineAtRandomMomentsLosesNothing() async throws {
        let site = try CorpusSite(
            "mediamirror-crash",
            configuration: """
                fetch:
                  concurrency: 16
                  per_host: 8
                  attempts: 2
                  connect_timeout: 3
                  timeout: 8
                  low_speed_limit: 2000
                  low_speed_time: 2
                thumbnails:
                  widths: [16, 40]

                """)
        defer { site.remove() }
        let pictures = site.directory.appending("pictures")
        try FileManager.default.createDirectory(at: pictures, withIntermediateDirectories: true)
        for index in 0..<6 {
            try Data(try TestImages.jpeg(width: 48 + index * 16, height: 36 + index * 8, seed: index))
                .write(to: pictures.appendingPathComponent("p\(index).jpg"))
        }
        let originRoot = site.directory.appending("origin")
        try FileManager.default.createDirectory(at: originRoot, withIntermediateDirectories: true)
        let origin = try OriginServer(
            root: originRoot, arguments: ["--fallback", pictures.path, "--faults", "\(Self.seed % 1000)"])
        defer { origin.stop() }
        let environment = ProcessRunner.environment(proxiedThrough: origin)

        var random = SplitMix(seed: Self.seed)
        var killedMidRun = 0
        // Later runs have less left to do: a kill that came after the end halves the longest delay,
        // so the kills keep landing mid-run however fast the machine (seeded, still reproducible
        // on one machine).
        var ceiling = 1500
        for _ in 0..<Self.kills {
            let process = Process()
            process.executableURL = Paths.executable
            process.arguments = ["sync", "--retry-failed", "--config", site.config.path]
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Up to 1.55 s at first: a kill after the end tests nothing.
            let delay = 50 + Int(random.next() % UInt64(ceiling))
            try await Task.sleep(for: .milliseconds(delay))
            if process.isRunning {
                killedMidRun += 1
            } else {
                ceiling = max(100, ceiling / 2)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        print("crash suite: seed \(Self.seed), \(Self.kills) kills, \(killedMidRun) mid-run")
        #expect(killedMidRun > Self.kills / 2, "most kills should land while the sync runs")

        let clean = try ProcessRunner.run(
            Paths.executable, ["sync", "--retry-failed", "--json", "--config", site.config.path],
            environment: environment)
        #expect(clean.status == 0 || clean.status == 1, "\(clean.stderr)")
        let summary = (try? JSONSerialization.jsonObject(with: Data(clean.stdout.utf8))) as? [String: Any]
        #expect((summary?["references_mirrored"] as? Int ?? 0) > 300, "\(clean.stdout.prefix(500))")
        #expect(site.temporaryFiles().isEmpty, "\(site.temporaryFiles())")

        let invariants = try PostInvariants.check(site)
        #expect(invariants.violations.isEmpty, "seed \(Self.seed): \(invariants.violations.prefix(20))")
        print(
            "crash suite: after the clean run \(invariants.postsRewritten) posts rewritten, "
                + "\(invariants.localReferencesChecked) local references checked against stored hashes, "
                + "\(summary?["urls_failed"] as? Int ?? -1) URLs failed (injected faults), 0 temporary files")

        let verify = try ProcessRunner.run(Paths.executable, ["verify", "--config", site.config.path])
        #expect(verify.status == 0, "seed \(Self.seed): \(verify.stdout)\(verify.stderr)")

        let restore = try ProcessRunner.run(Paths.executable, ["restore", "--config", site.config.path])
        #expect(restore.status == 0, "\(restore.stdout)\(restore.stderr)")
        var notRestored: [String] = []
        for (relative, original) in site.originals {
            let now = try Data(contentsOf: site.posts.appendingPathComponent(relative))
            guard now != original else { continue }
            // Where they part, for the report.
            let at = zip(now, original).prefix { $0 == $1 }.count
            let context = { (data: Data) in
                String(decoding: data[max(0, at - 60)..<min(data.count, at + 120)], as: UTF8.self)
            }
            notRestored.append("\(relative) at byte \(at): now «\(context(now))» was «\(context(original))»")
        }
        #expect(notRestored.isEmpty, "seed \(Self.seed): not byte-identical after restore: \(notRestored.prefix(10))")
    }
}
