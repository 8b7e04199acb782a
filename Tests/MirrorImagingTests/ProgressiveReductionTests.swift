import Foundation
import TestSupport
import Testing

@testable import MirrorImaging

/// A progressive JPEG rewritten with only the coefficients a 1/8 decode reads must decode to
/// exactly libjpeg's own 1/8 decode of the original, every scan read, libjpeg's defaults.
struct ProgressiveReductionTests {
    /// Every JPEG of the corpus, malformed ones included: where the rewrite takes a file, its
    /// pixels are libjpeg's (bit for bit), from bytes and from the file alike.
    @Test func reducedDecodeIsLibjpegsOwnOnEveryCorpusJPEG() throws {
        var reduced = 0
        var subsampled = 0
        var compared = 0
        for entry in ImageCorpus.entries {
            guard let data = FileManager.default.contents(atPath: entry.url.path), data.starts(with: [0xFF, 0xD8])
            else { continue }
            let bytes = [UInt8](data)
            guard let stream = JPEGCodec.reduced(bytes, scaleDenominator: 8, maxPixels: 100_000_000) else { continue }
            reduced += 1
            // A sequential stream (SOF1), never the original's progressive frame.
            #expect(frameMarkers(stream) == [0xC1], "\(entry.path)")
            let decoded = try JPEGCodec.decode(
                stream: stream, scaleDenominator: 8, blockSmoothing: false, maxPixels: 100_000_000)
            let fromFile = try readReduced(entry.url)
            #expect(fromFile.pixels == decoded.pixels, "\(entry.path)")
            // Damage inside a skipped scan goes unnoticed (libjpeg would refuse those files).
            guard
                let reference = try? JPEGCodec.decode(
                    stream: bytes, scaleDenominator: 8, blockSmoothing: true, maxPixels: 100_000_000)
            else { continue }
            compared += 1
            #expect(
                (decoded.width, decoded.height, decoded.channels) == (
                    reference.width, reference.height, reference.channels
                ), "\(entry.path)")
            let identical = decoded.pixels == reference.pixels
            #expect(identical, "\(entry.path)")
            if sampling(bytes) == [0x22, 0x11, 0x11] { subsampled += 1 }
        }
        // 4:4:4, 4:2:2, 4:2:0, gray and CMYK progressive files are in the corpus: the test must see them.
        #expect(reduced >= 25 && compared >= 25, "\(reduced) reduced, \(compared) compared")
        #expect(subsampled >= 3, "\(subsampled) 4:2:0 files")
    }

    @Test func ourOwnProgressiveEncodesReduceExactly() throws {
        for pixels in [TestImages.pixels(width: 640, height: 480), TestImages.pixels(width: 333, height: 77)] {
            let bytes = try JPEGCodec.encode(pixels, quality: 85, progressive: true)
            let stream = try #require(JPEGCodec.reduced(bytes, scaleDenominator: 8, maxPixels: 1_000_000))
            let reference = try JPEGCodec.decode(
                stream: bytes, scaleDenominator: 8, blockSmoothing: true, maxPixels: 1_000_000)
            let decoded = try JPEGCodec.decode(
                stream: stream, scaleDenominator: 8, blockSmoothing: false, maxPixels: 1_000_000)
            let identical = decoded.pixels == reference.pixels
            #expect(identical)
            // 4:2:0 at 1/8: the luma keeps its DC, the chroma the 25 coefficients of a 2x2 IDCT.
            #expect(stream.count < bytes.count, "\(stream.count) of \(bytes.count)")
        }
    }

    @Test func filesTheRewriteDoesNotFollowAreLeftToLibjpeg() throws {
        let pixels = TestImages.pixels(width: 320, height: 200)
        let baseline = try JPEGCodec.encode(pixels, quality: 85, progressive: false)
        #expect(JPEGCodec.reduced(baseline, scaleDenominator: 8, maxPixels: 1_000_000) == nil)
        let progressive = try JPEGCodec.encode(pixels, quality: 85, progressive: true)
        let truncated = Array(progressive.prefix(progressive.count * 2 / 3))
        #expect(JPEGCodec.reduced(truncated, scaleDenominator: 8, maxPixels: 1_000_000) == nil)
        #expect(JPEGCodec.reduced(Array(progressive.dropLast(2)), scaleDenominator: 8, maxPixels: 1_000_000) == nil)
        #expect(JPEGCodec.reduced([0xFF, 0xD8, 0xFF, 0xD9], scaleDenominator: 8, maxPixels: 1_000_000) == nil)
        // Over the budget at the decoded scale: refused, as libjpeg's reader would.
        #expect(JPEGCodec.reduced(progressive, scaleDenominator: 8, maxPixels: 100) == nil)
        // The thumbnailer then decodes the original, which reports the damage.
        let directory = try TemporaryDirectory("mediamirror-reduce")
        defer { directory.remove() }
        let path = directory.appending("truncated.jpg").path
        try Data(truncated).write(to: URL(fileURLWithPath: path))
        let descriptor = open(path, O_RDONLY)
        defer { close(descriptor) }
        let file = try ImageFile(descriptor: descriptor)
        let probe = try file.probe()
        #expect(throws: ImagingError.self) {
            try Thumbnailer().thumbnails(of: file, probe: probe, widths: [32])
        }
    }

    /// The thumbnailer reads a progressive file through the rewrite, from the file.
    @Test func thumbnailsOfAProgressiveFileMatchTheBytesPath() throws {
        let directory = try TemporaryDirectory("mediamirror-reduce-file")
        defer { directory.remove() }
        let path = directory.appending("progressive.jpg").path
        let bytes = try JPEGCodec.encode(TestImages.pixels(width: 2600, height: 1700), quality: 90, progressive: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let descriptor = open(path, O_RDONLY)
        defer { close(descriptor) }
        let file = try ImageFile(descriptor: descriptor)
        let probe = try file.probe()
        let thumbnailer = Thumbnailer()
        let fromFile = try thumbnailer.thumbnails(of: file, probe: probe, widths: [160])
        let fromBytes = try thumbnailer.thumbnails(of: bytes, probe: probe, widths: [160])
        #expect(fromFile.map(\.bytes) == fromBytes.map(\.bytes))
        #expect(fromFile.count == 1)
    }

    func readReduced(_ url: URL) throws -> PixelBuffer {
        let descriptor = open(url.path, O_RDONLY)
        defer { close(descriptor) }
        let file = try ImageFile(descriptor: descriptor)
        return try ImageRowReader(reducedJPEG: file, scaleDenominator: 8, maxPixels: 100_000_000).readAll()
    }

    /// The frame markers (SOFn) of a stream, its segments walked up to the first scan.
    func frameMarkers(_ bytes: [UInt8]) -> [UInt8] {
        var markers: [UInt8] = []
        var index = 2
        while index + 4 <= bytes.count, bytes[index] == 0xFF {
            let marker = bytes[index + 1]
            if marker == 0xDA { break }
            if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) { markers.append(marker) }
            index += 2 + (Int(bytes[index + 2]) << 8 | Int(bytes[index + 3]))
        }
        return markers
    }

    /// The sampling factors of a progressive frame's components.
    func sampling(_ bytes: [UInt8]) -> [UInt8] {
        guard let sof = bytes.indices.dropLast(12).first(where: { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC2 }) else {
            return []
        }
        let count = Int(bytes[sof + 9])
        return (0..<count).compactMap { sof + 11 + 3 * $0 < bytes.count ? bytes[sof + 11 + 3 * $0] : nil }
    }
}
