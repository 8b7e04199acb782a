import Foundation
import TestSupport
import Testing

/// Random sequences of sync / edit / delete / gc / verify over a few posts: no stored file a
/// post uses is ever deleted, and no local reference ever points at a missing or wrong file.
@Suite(.serialized)
struct StorePropertyTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomOperationsNeverLoseAReferencedFile(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        let site = try TestSite(
            "mediamirror-property", configuration: "fetch:\n  attempts: 1\nthumbnails:\n  widths: [16]\n")
        defer { site.remove() }
        let (posts, media, origin, config) = (site.posts, site.media, site.origin, site.config)
        for index in 0..<8 {
            try origin.serve(
                try TestImages.jpeg(width: 40 + index * 4, height: 30, seed: index), host: "img.test",
                path: "\(index).jpg")
        }

        func run(_ arguments: [String]) throws -> Int32 {
            try ProcessRunner.run(
                Paths.executable, arguments + ["--config", config.path],
                environment: ProcessRunner.environment(proxiedThrough: origin)
            ).status
        }
        func postNames() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: posts.path)) ?? []).filter { $0.hasSuffix(".md") }
                .sorted()
        }
        func localValues(in text: String) -> [String] {
            text.components(separatedBy: "\"").filter { $0.hasPrefix("/images/mirror/") }
        }
        func writePost(_ name: String) throws {
            let images = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                "<img src=\"http://img.test/\(Int.random(in: 0..<8, using: &random)).jpg\">"
            }
            try Data(("---\ntitle: \(name)\n---\n" + images.joined(separator: "\n")).utf8).write(
                to: posts.appendingPathComponent(name))
        }
        for index in 0..<3 { try writePost("post\(index).md") }

        var log: [String] = []
        for step in 0..<24 {
            let names = postNames()
            switch Int.random(in: 0..<6, using: &random) {
            case 0, 1:
                log.append("sync")
                #expect(try run(["sync"]) == 0, "seed \(seed) step \(step): \(log)")
            case 2:
                // Edit: point one image at another URL, or at a local copy another post uses.
                guard let name = names.randomElement(using: &random) else { continue }
                let url = posts.appendingPathComponent(name)
                var text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
                let everyLocal = try names.flatMap {
                    localValues(
                        in: String(decoding: try Data(contentsOf: posts.appendingPathComponent($0)), as: UTF8.self))
                }
                if Bool.random(using: &random), let local = everyLocal.randomElement(using: &random) {
                    text += "\n<img src=\"\(local)\">"
                } else {
                    text += "\n<img src=\"http://img.test/\(Int.random(in: 0..<8, using: &random)).jpg\">"
                }
                try Data(text.utf8).write(to: url)
                log.append("edit \(name)")
            case 3:
                if names.count > 1, let name = names.randomElement(using: &random) {
                    try FileManager.default.removeItem(at: posts.appendingPathComponent(name))
                    log.append("delete \(name)")
                } else {
                    let name = "post\(step + 10).md"
                    try writePost(name)
                    log.append("create \(name)")
                }
            case 4:
                log.append("gc")
                #expect(try run(["gc", "--grace", "0"]) == 0, "seed \(seed) step \(step): \(log)")
            default:
                log.append("verify")
                #expect(try run(["verify"]) == 0, "seed \(seed) step \(step): \(log)")
            }
            // The invariant, after every step.
            for name in postNames() {
                let text = String(decoding: try Data(contentsOf: posts.appendingPathComponent(name)), as: UTF8.self)
                for local in localValues(in: text) {
                    let file = media.appendingPathComponent(String(local.dropFirst("/images/mirror/".count)))
                    #expect(
                        FileManager.default.fileExists(atPath: file.path),
                        "seed \(seed) step \(step): \(name) points at missing \(local) after \(log)")
                }
            }
        }
        #expect(try run(["verify"]) == 0)
    }
}
