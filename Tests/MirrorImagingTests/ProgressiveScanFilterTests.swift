import Foundation
import TestSupport
import Testing

@testable import MirrorImaging

/// Dropping the AC scans a 1/8 decode does not read must not change a single pixel.
struct ProgressiveScanFilterTests {
    @Test func filteredDecodeIsPixelIdenticalOnEveryCorpusJPEG() throws {
        var filtered = 0
        var keptChromaAC = 0
        for entry in ImageCorpus.entries where entry.format == "JPEG" {
            guard let data = FileManager.default.contents(atPath: entry.url.path) else { continue }
            let bytes = [UInt8](data)
            // The reference: every scan decoded, libjpeg's defaults.
            guard
                let reference = try? JPEGCodec.decode(
                    stream: bytes, scaleDenominator: 8, blockSmoothing: true, maxPixels: 100_000_000)
            else { continue }
            let decoded = try JPEGCodec.decode(bytes, scaleDenominator: 8, maxPixels: 100_000_000)
            let identical = decoded.pixels == reference.pixels
            #expect(identical, "\(entry.path)")
            #expect(
                (decoded.width, decoded.height, decoded.channels) == (
                    reference.width, reference.height, reference.channels
                ))
            if let stream = JPEGCodec.droppingUnreadScans(bytes) {
                filtered += 1
                #expect(stream.count < bytes.count, "\(entry.path)")
                if subsampledChroma(bytes) { keptChromaAC += 1 }
            }
        }
        // The corpus has 4:4:4, 4:2:2, 4:2:0 and gray progressive photos; the test must see them.
        #expect(filtered >= 20)
        #expect(keptChromaAC >= 3)
    }

    @Test func fourTwoZeroKeepsChromaACScans() throws {
        // Our encoder writes 4:2:0 progressive: at 1/8 the chroma IDCT is 2x2 and reads ACs.
        let bytes = try JPEGCodec.encode(TestImages.pixels(width: 640, height: 480), quality: 85, progressive: true)
        let stream = try #require(JPEGCodec.droppingUnreadScans(bytes))
        let all = scans(bytes)
        let kept = scans(stream)
        #expect(kept.allSatisfy { $0.spectralStart == 0 || $0.components != [1] })
        #expect(all.contains { $0.spectralStart > 0 && $0.components == [1] })
        #expect(
            kept.filter { $0.spectralStart > 0 }.count
                == all.filter { $0.spectralStart > 0 && $0.components != [1] }.count)
        let reference = try JPEGCodec.decode(
            stream: bytes, scaleDenominator: 8, blockSmoothing: true, maxPixels: 1_000_000)
        let decoded = try JPEGCodec.decode(bytes, scaleDenominator: 8, maxPixels: 1_000_000)
        let identical = decoded.pixels == reference.pixels
        #expect(identical)
    }

    @Test func sequentialAndBrokenStreamsAreLeftAlone() throws {
        let pixels = TestImages.pixels(width: 320, height: 200)
        let baseline = try JPEGCodec.encode(pixels, quality: 85, progressive: false)
        #expect(JPEGCodec.droppingUnreadScans(baseline) == nil)
        let progressive = try JPEGCodec.encode(pixels, quality: 85, progressive: true)
        // Gray: one component, one scan list; a truncated file; a file without EOI.
        let truncated = Array(progressive.prefix(progressive.count * 2 / 3))
        #expect(ProgressiveScanFilter.dropACScans(truncated, keepingACOf: []) == nil)
        #expect(ProgressiveScanFilter.dropACScans(Array(progressive.dropLast(2)), keepingACOf: []) == nil)
        #expect(ProgressiveScanFilter.dropACScans([0xFF, 0xD8, 0xFF, 0xD9], keepingACOf: []) == nil)
        #expect(ProgressiveScanFilter.dropACScans(baseline, keepingACOf: []) == nil)
        // A truncated progressive file still fails as corrupt rather than decoding from its DC scans.
        #expect(throws: ImagingError.self) {
            try JPEGCodec.decode(truncated, scaleDenominator: 8, maxPixels: 1_000_000)
        }
    }

    struct Scan: Equatable {
        var components: [Int]
        var spectralStart: Int
    }

    /// The scans of a stream, read the same plain way a test can trust.
    func scans(_ bytes: [UInt8]) -> [Scan] {
        var result: [Scan] = []
        var index = 2
        while index + 4 <= bytes.count {
            guard bytes[index] == 0xFF else { index += 1; continue }
            let marker = bytes[index + 1]
            if marker == 0x00 || marker == 0xFF || (0xD0...0xD7).contains(marker) { index += 1; continue }
            if marker == 0xD9 { break }
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            if marker == 0xDA {
                let count = Int(bytes[index + 4])
                let components = (0..<count).map { Int(bytes[index + 5 + 2 * $0]) }
                result.append(Scan(components: components, spectralStart: Int(bytes[index + 5 + 2 * count])))
            }
            index += 2 + length
        }
        return result
    }

    func subsampledChroma(_ bytes: [UInt8]) -> Bool {
        guard let sof = bytes.indices.dropLast(12).first(where: { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC2 }) else {
            return false
        }
        return bytes[sof + 9] == 3 && bytes[sof + 11] == 0x22
    }
}
