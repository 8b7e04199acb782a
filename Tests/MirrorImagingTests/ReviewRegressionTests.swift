import Foundation
import TestSupport
import Testing

@testable import MirrorImaging

/// Found by reading the row readers, the scan filter and the ICC rules (review of session 4).
struct ReviewRegressionTests {
    /// An interlaced PNG that fails after its image data (IEND cut off) freed the row pointers
    /// twice: glibc aborted the process.
    @Test func interlacedPNGFailingAfterItsPixelsIsACleanError() throws {
        let file = Paths.shared.appendingPathComponent("images/pngsuite/PngSuite/basi2c08.png")
        let whole = [UInt8](try Data(contentsOf: file))
        let withoutEnd = Array(whole.dropLast(12))
        #expect(throws: ImagingError.self) { try PNGCodec.decode(withoutEnd, maxPixels: 1_000_000) }
        let probe = try ImageProber.probe(whole)
        #expect(throws: ImagingError.self) { try Thumbnailer().thumbnails(of: withoutEnd, probe: probe, widths: [16]) }
    }

    /// Text chunks are skipped unread: 400 zTXt chunks of 4 MB of zeros each (6 KB compressed)
    /// used to be inflated and kept, 1.6 GB for a 2.4 MB file.
    @Test func compressedTextChunksAreNotInflated() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mediamirror-ztxt-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("bomb.png")
        let script = """
            import struct, sys, zlib
            def chunk(kind, data):
                return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
            text = chunk(b"zTXt", b"k\\0\\0" + zlib.compress(bytes(4 << 20), 9))
            pixels = zlib.compress(b"".join(b"\\0" + bytes(64 * 3) for _ in range(64)))
            png = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0))
            png += text * 400 + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
            open(sys.argv[1], "wb").write(png)
            """
        let made = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, target.path])
        #expect(made.status == 0, "\(made.stderr)")
        let bytes = [UInt8](try Data(contentsOf: target))
        #expect(bytes.count < 4_000_000)
        let start = ContinuousClock.now
        let decoded = try PNGCodec.decode(bytes, maxPixels: 1_000_000)
        #expect((decoded.width, decoded.height) == (64, 64))
        // Inflating 1.6 GB takes seconds; skipping the chunks takes milliseconds.
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    /// A 4:2:0 progressive file without chroma AC scans: libjpeg smooths the incomplete chroma
    /// (block smoothing), so dropping the luma AC scans and turning smoothing off would change
    /// pixels. The filter leaves such files alone.
    @Test func incompleteScanScriptsAreNotFiltered() throws {
        let full = try JPEGCodec.encode(TestImages.pixels(width: 640, height: 480), quality: 85, progressive: true)
        // Component 1 is luma: keeping only its AC scans drops the chroma ones.
        let withoutChromaAC = try #require(ProgressiveScanFilter.dropACScans(full, keepingACOf: [1]))
        #expect(JPEGCodec.droppingUnreadScans(withoutChromaAC) == nil)
        let reference = try JPEGCodec.decode(
            stream: withoutChromaAC, scaleDenominator: 8, blockSmoothing: true, maxPixels: 1_000_000)
        let decoded = try JPEGCodec.decode(withoutChromaAC, scaleDenominator: 8, maxPixels: 1_000_000)
        let identical = decoded.pixels == reference.pixels
        #expect(identical)
        // The complete original is still filtered.
        #expect(JPEGCodec.droppingUnreadScans(full) != nil)
    }

    /// A profile with sRGB primaries and a linear tone curve is kept: untagged pixels would be
    /// shown as gamma-encoded.
    @Test func linearSRGBProfilesAreKept() {
        func profile(description: String, curve: [UInt8]) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: 128)
            bytes.replaceSubrange(16..<20, with: Array("RGB ".utf8))
            let text =
                Array("desc".utf8) + [0, 0, 0, 0, 0, 0, 0, UInt8(description.utf8.count)] + Array(description.utf8)
            let descOffset = 128 + 4 + 24
            let curveOffset = descOffset + text.count
            func u32(_ value: Int) -> [UInt8] {
                [UInt8(value >> 24 & 255), UInt8(value >> 16 & 255), UInt8(value >> 8 & 255), UInt8(value & 255)]
            }
            bytes += u32(2)
            bytes += Array("desc".utf8) + u32(descOffset) + u32(text.count)
            bytes += Array("rTRC".utf8) + u32(curveOffset) + u32(curve.count)
            return bytes + text + curve
        }
        let gammaOne = Array("curv".utf8) + [0, 0, 0, 0, 0, 0, 0, 1, 1, 0]
        let identity = Array("curv".utf8) + [0, 0, 0, 0, 0, 0, 0, 0]
        let paraOne = Array("para".utf8) + [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]
        let srgbLike = Array("para".utf8) + [0, 0, 0, 0, 0, 3, 0, 0, 0, 2, 0x66, 0x66]
        for curve in [gammaOne, identity, paraOne] {
            let linear = profile(description: "Linear sRGB", curve: curve)
            #expect(ICCProfile.describesSRGB(linear))
            #expect(ICCProfile.hasLinearTone(linear))
            #expect(ICCProfile.toEmbed(linear, channels: 3) == linear)
        }
        let encoded = profile(description: "sRGB built-in", curve: srgbLike)
        #expect(!ICCProfile.hasLinearTone(encoded))
        #expect(ICCProfile.toEmbed(encoded, channels: 3) == nil)
    }
}
