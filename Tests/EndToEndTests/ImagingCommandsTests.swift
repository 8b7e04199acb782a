import Foundation
import MirrorImaging
import TestSupport
import Testing

/// `probe` and `thumbnail` run the code the sync uses, on files.
struct ImagingCommandsTests {
    @Test func probeAndThumbnailFiles() throws {
        let directory = try TemporaryDirectory("mediamirror-imaging")
        defer { directory.remove() }
        let jpeg = directory.appending("photo.jpg")
        try Data(try TestImages.jpeg(width: 400, height: 300)).write(to: jpeg)
        let rotated = Paths.shared.appendingPathComponent(
            "images/exif-orientation/recurser-exif-orientation-examples/Landscape_6.jpg")
        let broken = directory.appending("broken.jpg")
        try Data("<html>403</html>".utf8).write(to: broken)

        let probe = try ProcessRunner.run(Paths.executable, ["probe", "--json", jpeg.path, rotated.path, broken.path])
        #expect(probe.status == 1)
        let lines = probe.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(lines.count == 3)
        #expect(lines[0]["format"] as? String == "jpeg")
        #expect(lines[0]["displayed_width"] as? Int == 400)
        #expect(lines[1]["orientation"] as? Int == 6)
        #expect((lines[1]["displayed_width"] as? Int ?? 0) > (lines[1]["displayed_height"] as? Int ?? 0))
        #expect((lines[2]["error"] as? String)?.contains("HTML") == true)

        let out = directory.appending("thumbs")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let made = try ProcessRunner.run(
            Paths.executable,
            ["thumbnail", "--width", "100", "--width", "1000", "--out", out.path, jpeg.path, rotated.path])
        #expect(made.status == 0, "\(made.stdout)\(made.stderr)")
        let thumb = try [UInt8](Data(contentsOf: out.appendingPathComponent("photo-100w.jpg")))
        #expect(try ImageProber.probe(thumb) == ImageProbe(format: .jpeg, width: 100, height: 75))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("photo-1000w.jpg").path))
        let upright = try ImageProber.probe(
            try [UInt8](Data(contentsOf: out.appendingPathComponent("Landscape_6-100w.jpg"))))
        #expect(upright.width == 100 && upright.width > upright.height && upright.orientation == 1)
        #expect(try ProcessRunner.run(Paths.executable, ["thumbnail", "--width", "0", jpeg.path]).status == 2)
    }

    /// `--keep-names` (for benchmark harnesses such as thumbbench): outputs named as their
    /// inputs; an image narrower than the width is copied, never upscaled.
    @Test func keepNamesWritesOneFilePerInput() throws {
        let directory = try TemporaryDirectory("mediamirror-keep-names")
        defer { directory.remove() }
        let large = directory.appending("large.jpg")
        let small = directory.appending("small.jpg")
        try Data(try TestImages.jpeg(width: 400, height: 300)).write(to: large)
        let smallBytes = try TestImages.jpeg(width: 200, height: 150)
        try Data(smallBytes).write(to: small)
        let out = directory.appending("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let run = try ProcessRunner.run(
            Paths.executable,
            ["thumbnail", "--width", "320", "--keep-names", "--out", out.path, large.path, small.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let thumb = try [UInt8](Data(contentsOf: out.appendingPathComponent("large.jpg")))
        #expect(try ImageProber.probe(thumb) == ImageProbe(format: .jpeg, width: 320, height: 240))
        #expect(try [UInt8](Data(contentsOf: out.appendingPathComponent("small.jpg"))) == smallBytes)
        let twoWidths = try ProcessRunner.run(
            Paths.executable, ["thumbnail", "--width", "320", "--width", "640", "--keep-names", large.path])
        #expect(twoWidths.status == 2)
    }

    /// A 12000x9000 progressive JPEG (4:2:0, quality 90, upscaled from a real photo): libjpeg
    /// alone would hold the coefficients of every block (330 MB, over the 100 MP budget, so it
    /// was refused); read through the rewrite that keeps only what a 1/8 decode reads, the
    /// thumbnail takes about 64 MB with the process around it (the benchmark records the figure).
    @Test func aGiantProgressiveJPEGIsThumbnailedInLittleMemory() throws {
        let directory = try TemporaryDirectory("mediamirror-giant-progressive")
        defer { directory.remove() }
        let giant = directory.appending("giant.jpg")
        let python = URL(fileURLWithPath: "/usr/bin/env")
        let script = { (name: String) in Paths.repository.appendingPathComponent("Tests/Imaging/\(name)").path }
        let made = try ProcessRunner.run(
            python, ["python3", script("giant_jpeg.py"), giant.path, "12000", "9000", "progressive"])
        #expect(made.status == 0, "\(made.stderr)")
        let measured = try PeakRSS.of([
            "thumbnail", "--width", "320", "--out", directory.appending("out").path, giant.path,
        ])
        #expect(measured.status == 0)
        // A margin over the ~64 MB measured, far under the 330 MB of whole-image coefficients.
        #expect(measured.maxRSSKB <= 80 * 1024, "\(measured)")
        let thumbnail = try [UInt8](Data(contentsOf: directory.appending("out/giant-320w.jpg")))
        let probe = try ImageProber.probe(thumbnail)
        #expect((probe.width, probe.height) == (320, 240))
    }
}
