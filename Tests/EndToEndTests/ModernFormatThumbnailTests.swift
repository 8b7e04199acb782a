import Foundation
import TestSupport
import Testing

/// Every GIF and WebP of `../shared/images/gif-webp` that Pillow reads gets a thumbnail through
/// the real binary (giflib, libwebp), as close to Pillow's resize of the same first frame as
/// SSIM 0.95; the broken ones fail with a clean error.
@Suite(.serialized)
struct ModernFormatThumbnailTests {
    /// Files Pillow reads that the GIF specification does not allow: issue_2811.gif starts its
    /// image data with an LZW code size of 11 (at most 8 is valid); giflib refuses it.
    static let outsideTheSpecification = ["gif-webp/pillow/issue_2811.gif"]

    struct Row {
        var path: String
        var width: Int
        var decodes: Bool
    }

    static func rows() throws -> [Row] {
        let text = try String(
            contentsOf: Paths.shared.appendingPathComponent("images/MANIFEST.tsv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count > 11, ["GIF", "WEBP"].contains(columns[4]) || ["gif", "webp"].contains(columns[3])
            else { return nil }
            return Row(path: columns[0], width: Int(columns[5]) ?? 0, decodes: columns[11] == "ok")
        }
    }

    @Test func everyGIFAndWebPThumbnailsLikePillow() throws {
        let directory = try TemporaryDirectory("mediamirror-modern-formats")
        defer { directory.remove() }
        var pairs: [[String]] = []
        var refused: [String] = []
        let valid = try Self.rows().filter {
            $0.path.hasPrefix("gif-webp/") && $0.decodes && $0.width >= 2
                && !Self.outsideTheSpecification.contains($0.path)
        }
        #expect(valid.count > 90, "\(valid.count)")
        for (index, row) in valid.enumerated() {
            let source = Paths.shared.appendingPathComponent("images").appendingPathComponent(row.path)
            let out = directory.appending("\(index)")
            let width = max(1, min(160, row.width / 2))
            let run = try ProcessRunner.run(
                Paths.executable,
                ["thumbnail", "--format", "same", "--width", "\(width)", "--out", out.path, source.path])
            let made = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
            guard run.status == 0, let thumbnail = made.first else {
                refused.append("\(row.path): \(run.stdout)\(run.stderr)")
                continue
            }
            pairs.append([source.path, out.appendingPathComponent(thumbnail).path])
        }
        #expect(refused.isEmpty, "\(refused)")
        let list = directory.appending("pairs.json")
        try JSONSerialization.data(withJSONObject: pairs).write(to: list)
        let compared = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", Paths.repository.appendingPathComponent("Tests/Imaging/compare_thumbnails.py").path, list.path])
        #expect(compared.status == 0, "\(compared.stderr)")
        let scores = try #require(
            try JSONSerialization.jsonObject(with: Data(compared.stdout.utf8)) as? [String: Double])
        #expect(scores.count == pairs.count)
        let low = scores.filter { $0.value < 0.95 }.sorted { $0.value < $1.value }
        #expect(low.isEmpty, "\(low)")
    }

    @Test func brokenGIFsAndWebPsFailCleanly() throws {
        let broken = try Self.rows().filter { $0.path.hasPrefix("malformed/") }
        var outcomes: [Int32: Int] = [:]
        for row in broken {
            let source = Paths.shared.appendingPathComponent("images").appendingPathComponent(row.path)
            let directory = try TemporaryDirectory("mediamirror-broken-format")
            defer { directory.remove() }
            let run = try ProcessRunner.run(
                Paths.executable, ["thumbnail", "--width", "32", "--out", directory.url.path, source.path])
            outcomes[run.status, default: 0] += 1
            // Exit 1 names the file and the reason; a crash would be a signal status.
            if run.status != 0 {
                #expect(run.status == 1 && run.stdout.contains(source.path + ": "), "\(row.path): \(run.stdout)")
            }
        }
        #expect(broken.count > 5 && outcomes[1, default: 0] > 5, "\(outcomes)")
    }

    /// An animation of 500 frames: only the first frame is decoded, so the thumbnail takes the
    /// memory of one frame (peak RSS of the whole process, under 64 MB).
    @Test func aLongAnimationCostsOneFrame() throws {
        let directory = try TemporaryDirectory("mediamirror-long-animation")
        defer { directory.remove() }
        let gif = directory.appending("long.gif")
        let python = URL(fileURLWithPath: "/usr/bin/env")
        let script = { (name: String) in Paths.repository.appendingPathComponent("Tests/Imaging/\(name)").path }
        let made = try ProcessRunner.run(python, ["python3", script("animated_gif.py"), gif.path, "500", "800", "600"])
        #expect(made.status == 0, "\(made.stderr)")
        let measured = try PeakRSS.of([
            "thumbnail", "--width", "320", "--out", directory.appending("out").path, gif.path,
        ])
        #expect(measured.status == 0)
        #expect(measured.maxRSSKB <= 64 * 1024, "\(measured)")
        let out = (try? FileManager.default.contentsOfDirectory(atPath: directory.appending("out").path)) ?? []
        #expect(out == ["long-320w.jpg"], "\(out)")

        // Kept animated: the frames stream through one canvas, resampled and encoded one by one,
        // so the memory stays that of a frame and the encoder, not of 500 frames.
        let animated = try PeakRSS.of([
            "thumbnail", "--format", "webp", "--animated", "--width", "320", "--out",
            directory.appending("animated").path, gif.path,
        ])
        #expect(animated.status == 0)
        #expect(animated.maxRSSKB <= 64 * 1024, "\(animated)")
        let webp = try [UInt8](Data(contentsOf: directory.appending("animated/long-320w.webp")))
        #expect(String(decoding: webp.prefix(64), as: UTF8.self).contains("ANIM"))
    }
}
