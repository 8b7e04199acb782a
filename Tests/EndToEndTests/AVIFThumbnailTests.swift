import Foundation
import TestSupport
import Testing

/// AVIF in and out through the real binary (libavif: dav1d decodes, aom encodes), against files
/// Pillow's AVIF plugin wrote (`Tests/Imaging/make_avif.py`; ../shared/images has none): probe
/// agrees with Pillow, thumbnails of each match Pillow's resize of the same image, AVIF
/// thumbnails decode in Pillow, and broken files fail with a clean error.
@Suite(.serialized)
struct AVIFThumbnailTests {
    struct File: Decodable {
        var path: String
        var width: Int
        var height: Int
        var alpha: Bool
        var valid: Bool
    }

    static func python(_ script: String, _ arguments: [String]) throws -> ProcessRunner.Result {
        try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", Paths.repository.appendingPathComponent(script).path] + arguments)
    }

    static func ssim(_ pairs: [[String]], in directory: TemporaryDirectory) throws -> [String: Double] {
        let list = directory.appending("pairs-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: pairs).write(to: list)
        let compared = try python("Tests/Imaging/compare_thumbnails.py", [list.path])
        guard compared.status == 0 else { throw ComparisonFailed(message: compared.stderr) }
        return (try JSONSerialization.jsonObject(with: Data(compared.stdout.utf8)) as? [String: Double]) ?? [:]
    }

    struct ComparisonFailed: Error {
        var message: String
    }

    @Test func avifOriginalsProbeThumbnailAndFailLikePillow() throws {
        let directory = try TemporaryDirectory("mediamirror-avif")
        defer { directory.remove() }
        let made = try Self.python("Tests/Imaging/make_avif.py", [directory.appending("in").path])
        #expect(made.status == 0, "\(made.stderr)")
        let files = try JSONDecoder().decode([File].self, from: Data(made.stdout.utf8))
        let valid = files.filter(\.valid)
        #expect(valid.count >= 8)

        // probe = Pillow's size.
        for file in valid {
            let probe = try ProcessRunner.run(Paths.executable, ["probe", "--json", file.path])
            let line = try JSONSerialization.jsonObject(with: Data(probe.stdout.utf8)) as? [String: Any]
            #expect(line?["format"] as? String == "avif", "\(file.path): \(probe.stdout)")
            #expect(line?["width"] as? Int == file.width && line?["height"] as? Int == file.height, "\(probe.stdout)")
        }

        // Decoded like Pillow: a lossless (PNG) thumbnail of each is Pillow's resize, SSIM ≥ 0.95.
        var pairs: [[String]] = []
        for (index, file) in valid.enumerated() {
            let out = directory.appending("same-\(index)")
            let run = try ProcessRunner.run(
                Paths.executable,
                ["thumbnail", "--format", "same", "--width", "\(max(1, file.width / 2))", "--out", out.path, file.path])
            #expect(run.status == 0, "\(file.path): \(run.stderr)")
            let thumbnails = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
            #expect(thumbnails.count == 1 && thumbnails.first?.hasSuffix(".png") == true, "\(thumbnails)")
            if let name = thumbnails.first { pairs.append([file.path, out.appendingPathComponent(name).path]) }
        }
        let decoded = try Self.ssim(pairs, in: directory)
        #expect(decoded.count == valid.count)
        #expect(decoded.values.allSatisfy { $0 >= 0.95 }, "\(decoded)")

        // Encoded as AVIF (quality 60, speed 8): Pillow reads each back at the right size, close to
        // its own resize.
        var encoded: [[String]] = []
        for (index, file) in valid.enumerated() {
            let out = directory.appending("avif-\(index)")
            let run = try ProcessRunner.run(
                Paths.executable,
                ["thumbnail", "--format", "avif", "--width", "\(max(1, file.width / 2))", "--out", out.path, file.path])
            #expect(run.status == 0, "\(file.path): \(run.stderr)")
            let thumbnails = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
            #expect(thumbnails.first?.hasSuffix(".avif") == true, "\(thumbnails)")
            if let name = thumbnails.first { encoded.append([file.path, out.appendingPathComponent(name).path]) }
        }
        let lossy = try Self.ssim(encoded, in: directory)
        #expect(lossy.count == valid.count)
        #expect(lossy.values.allSatisfy { $0 >= 0.9 }, "\(lossy)")

        // Broken files: exit 1 naming the file, never a crash.
        for file in files where !file.valid {
            let out = directory.appending("broken")
            let run = try ProcessRunner.run(
                Paths.executable, ["thumbnail", "--width", "32", "--out", out.path, file.path])
            #expect(run.status == 0 || run.status == 1, "\(file.path) ended with \(run.status)")
            if file.path.hasSuffix("truncated.avif") || file.path.hasSuffix("header-only.avif") {
                #expect(run.status == 1, "\(file.path)")
                #expect((run.stdout + run.stderr).contains((file.path as NSString).lastPathComponent))
            }
        }
    }
}
