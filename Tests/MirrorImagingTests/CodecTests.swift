import Foundation
import MirrorImaging
import TestSupport
import Testing

struct CodecTests {
    @Test func jpegRoundTripAndDCTScaling() throws {
        let bytes = try TestImages.jpeg(width: 1000, height: 600)
        let probe = try ImageProber.probe(bytes)
        #expect(probe == ImageProbe(format: .jpeg, width: 1000, height: 600))
        let full = try JPEGCodec.decode(bytes, maxPixels: 10_000_000)
        #expect((full.width, full.height, full.channels) == (1000, 600, 3))
        let eighth = try JPEGCodec.decode(bytes, scaleDenominator: 8, maxPixels: 10_000_000)
        #expect((eighth.width, eighth.height) == (125, 75))
    }

    @Test func truncatedJPEGIsCorruptNotGrey() throws {
        let bytes = try TestImages.jpeg(width: 400, height: 300)
        let truncated = Array(bytes.prefix(bytes.count / 2))
        #expect(throws: ImagingError.self) { try JPEGCodec.decode(truncated, maxPixels: 10_000_000) }
        do {
            _ = try JPEGCodec.decode(truncated, maxPixels: 10_000_000)
        } catch {
            #expect(error.failureClass == "corrupt_image")
        }
    }

    @Test func pixelBudgetIsCheckedBeforeDecoding() throws {
        let bytes = try TestImages.jpeg(width: 400, height: 300)
        #expect(throws: ImagingError.tooLarge("400x300 (at the decoded scale) is over the pixel budget of 1000")) {
            try JPEGCodec.decode(bytes, maxPixels: 1000)
        }
        // A sequential JPEG is held at its DCT-scaled size: 50x38 at 1/8 fits 2,000 pixels.
        let small = try JPEGCodec.decode(bytes, scaleDenominator: 8, maxPixels: 2000)
        #expect((small.width, small.height) == (50, 38))
        // A progressive one keeps coefficients for the whole image at 1/4: the stored size counts.
        let progressive = try JPEGCodec.encode(
            TestImages.pixels(width: 400, height: 300), quality: 85, progressive: true)
        #expect(
            throws: ImagingError.tooLarge("400x300 (progressive: decoded whole) is over the pixel budget of 10000")
        ) {
            try JPEGCodec.decode(progressive, scaleDenominator: 4, maxPixels: 10000)
        }
        // At 1/8 it is rewritten with only the coefficients that scale reads: held like a sequential one.
        let reduced = try JPEGCodec.decode(progressive, scaleDenominator: 8, maxPixels: 2000)
        #expect((reduced.width, reduced.height) == (50, 38))
        let png = try TestImages.png(width: 50, height: 50)
        #expect(throws: ImagingError.self) { try PNGCodec.decode(png, maxPixels: 100) }
    }

    @Test func pngRoundTripKeepsAlpha() throws {
        let bytes = try TestImages.png(width: 64, height: 32, alpha: true)
        let decoded = try PNGCodec.decode(bytes, maxPixels: 10_000)
        #expect((decoded.width, decoded.height, decoded.channels) == (64, 32, 4))
        #expect(decoded.hasTransparency)
        #expect(decoded.pixels == TestImages.pixels(width: 64, height: 32, channels: 4).pixels)
    }

    @Test func htmlServedAsAnImageIsNotAnImage() {
        let page = Array("<!DOCTYPE html><html><body>403 Forbidden</body></html>".utf8)
        #expect(ImageFormat.sniff(page) == nil)
        #expect(throws: ImagingError.notAnImage("an HTML page")) { try ImageProber.probe(page) }
    }

    @Test func everyPngSuiteFileDecodesOrFailsCleanly() throws {
        let folder = Paths.shared.appendingPathComponent("images/pngsuite/PngSuite")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".png") }
        #expect(names.count > 100)
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
            // PngSuite's corrupt files start with "x".
            if name.hasPrefix("x") {
                #expect(throws: ImagingError.self, "\(name)") { try PNGCodec.decode(bytes, maxPixels: 1_000_000) }
            } else {
                let decoded = try PNGCodec.decode(bytes, maxPixels: 1_000_000)
                let probe = try ImageProber.probe(bytes)
                #expect((decoded.width, decoded.height) == (probe.width, probe.height), "\(name)")
            }
        }
    }
}

extension CodecTests {
    /// Found by FuzzProbes: a small PNG whose text chunk declared about 2 GB made libpng allocate
    /// that much before finding the data missing. Chunks are now checked against the file first.
    @Test func aChunkLongerThanTheFileIsRefusedBeforeLibpngAllocates() throws {
        let valid = try TestImages.png(width: 16, height: 16)
        // Signature and IHDR, then a tEXt chunk claiming 0x7E000000 bytes, then the rest.
        var bytes = Array(valid[0..<33])
        bytes += [0x7E, 0x00, 0x00, 0x00] + Array("tEXt".utf8) + Array("Copyright".utf8) + [0, 0, 0, 0]
        bytes += valid[33...]
        #expect {
            try PNGCodec.decode(bytes, maxPixels: 100_000_000)
        } throws: { error in
            "\(error)".contains("more than the file holds")
        }
    }
}
