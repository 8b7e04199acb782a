import Foundation
import TestSupport
import Testing

/// `thumbnails.animated`: every animated GIF and WebP of ../shared/images/gif-webp that Pillow
/// reads keeps its animation in a WebP thumbnail: the same timeline (WebPAnimEncoder merges
/// identical consecutive frames into longer ones), each moment close to Pillow's frame; an
/// animation over the frame budget gets a still thumbnail.
@Suite(.serialized)
struct AnimatedThumbnailTests {
    struct Row {
        var path: String
        var width: Int
        var frames: Int
    }

    static func animations() throws -> [Row] {
        let text = try String(
            contentsOf: Paths.shared.appendingPathComponent("images/MANIFEST.tsv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count > 11, columns[0].hasPrefix("gif-webp/"), ["GIF", "WEBP"].contains(columns[4]),
                columns[11] == "ok", let frames = Int(columns[8]), frames > 1, let width = Int(columns[5]), width >= 16
            else { return nil }
            return Row(path: columns[0], width: width, frames: frames)
        }
    }

    /// Where Pillow and a browser part ways, or a lossy encoder cannot be close: Pillow disposes
    /// to the palette's background colour where browsers (and mediamirror) clear to
    /// transparent; random noise does not survive lossy WebP at any size.
    static let notComparable = [
        "dispose_bgnd.gif", "dispose_bgnd_rgba.gif", "random_lossless.webp",
    ]

    @Test func animatedGIFsAndWebPsStayAnimated() throws {
        let directory = try TemporaryDirectory("mediamirror-animated")
        defer { directory.remove() }
        let rows = try Self.animations()
        #expect(rows.count >= 15, "\(rows.count)")
        var pairs: [[String]] = []
        for (index, row) in rows.enumerated() {
            let source = Paths.shared.appendingPathComponent("images").appendingPathComponent(row.path)
            let out = directory.appending("\(index)")
            let run = try ProcessRunner.run(
                Paths.executable,
                [
                    "thumbnail", "--format", "webp", "--animated", "--width", "\(max(8, min(160, row.width / 2)))",
                    "--out", out.path, source.path,
                ])
            #expect(run.status == 0, "\(row.path): \(run.stderr)")
            if let name = (try? FileManager.default.contentsOfDirectory(atPath: out.path))?.first {
                pairs.append([source.path, out.appendingPathComponent(name).path])
            }
        }
        let list = directory.appending("pairs.json")
        try JSONSerialization.data(withJSONObject: pairs).write(to: list)
        let compared = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", Paths.repository.appendingPathComponent("Tests/Imaging/compare_animation.py").path, list.path])
        #expect(compared.status == 0, "\(compared.stderr)")
        let scores = try #require(
            try JSONSerialization.jsonObject(with: Data(compared.stdout.utf8)) as? [String: [String: Any]])
        #expect(scores.count == rows.count)
        let sources = Dictionary(uniqueKeysWithValues: pairs.map { ($0[1], $0[0]) })
        var animated = 0
        for (thumbnail, score) in scores {
            let source = sources[thumbnail] ?? thumbnail
            let frames = score["frames"] as? [Int] ?? []
            let durations = score["durations"] as? [Int] ?? []
            // One frame left: every frame was the same at this size, and a still WebP is right.
            if frames.last == 1 { continue }
            animated += 1
            #expect(durations.count == 2 && durations[0] == durations[1], "\(source): timeline \(durations)")
            if Self.notComparable.contains((source as NSString).lastPathComponent) { continue }
            #expect((score["ssim_mean"] as? Double ?? 0) >= 0.8, "\(source): \(score)")
        }
        #expect(animated >= rows.count - 3)
    }

    @Test func anAnimationOverTheBudgetGetsAStillThumbnail() throws {
        let directory = try TemporaryDirectory("mediamirror-animated-budget")
        defer { directory.remove() }
        let row = try #require(try Self.animations().first { $0.frames >= 100 })
        let source = Paths.shared.appendingPathComponent("images").appendingPathComponent(row.path)
        let run = try ProcessRunner.run(
            Paths.executable,
            [
                "thumbnail", "--format", "webp", "--animated", "--max-frames", "\(row.frames - 1)", "--width", "64",
                "--out", directory.url.path, source.path,
            ])
        #expect(run.status == 0, "\(run.stderr)")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).first)
        let bytes = try [UInt8](Data(contentsOf: directory.url.appendingPathComponent(name)))
        // A still WebP has no ANIM chunk.
        #expect(!String(decoding: bytes.prefix(64), as: UTF8.self).contains("ANIM"))
        #expect(bytes.count > 100)
    }
}
