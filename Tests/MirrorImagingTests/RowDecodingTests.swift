import Crypto
import Foundation
import TestSupport
import Testing

@testable import MirrorImaging

/// The row-by-row decoders and the streaming resampler against independent references.
struct RowDecodingTests {
    /// libpng's classic API with our transforms gives Pillow's pixels on every PngSuite file of
    /// bit depth 8 or less: palettes, gray of every depth, tRNS, alpha, interlacing.
    @Test func pngSuitePixelsMatchPillow() throws {
        let folder = Paths.shared.appendingPathComponent("images/pngsuite/PngSuite")
        #expect(PngSuiteDigests.rgba.count > 100)
        var mismatched: [String] = []
        for (name, digest) in PngSuiteDigests.rgba {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
            let decoded = try PNGCodec.decode(bytes, maxPixels: 1_000_000)
            if SHA256.hash(data: decoded.pixels).map({ String(format: "%02x", $0) }).joined() != digest {
                mismatched.append(name)
            }
        }
        #expect(mismatched.isEmpty, "\(mismatched.sorted())")
    }

    /// A 4-bit gray image whose tRNS names gray 15 (white): every white pixel is transparent.
    /// (Pillow gets this one wrong: it compares 15 with samples already scaled to 8 bits.)
    @Test func fourBitGrayTransparencyComparesAtTheStoredDepth() throws {
        let file = Paths.shared.appendingPathComponent("images/pngsuite/PngSuite/tbbn0g04.png")
        let decoded = try PNGCodec.decode([UInt8](Data(contentsOf: file)), maxPixels: 1_000_000)
        var transparent = 0
        var whiteOpaque = 0
        for pixel in 0..<(decoded.width * decoded.height) {
            let base = pixel * 4
            if decoded.pixels[base + 3] == 0 { transparent += 1 }
            if decoded.pixels[base] == 255 && decoded.pixels[base + 3] == 255 { whiteOpaque += 1 }
        }
        #expect(transparent == 464)
        #expect(whiteOpaque == 0)
    }

    /// The thumbnail path keeps RGB for opaque PNGs and RGBA where there is transparency.
    @Test func pngRowsAreRGBUnlessTransparent() throws {
        let folder = Paths.shared.appendingPathComponent("images/pngsuite/PngSuite")
        for (name, channels) in [("basn2c08.png", 3), ("basn0g08.png", 3), ("basn6a08.png", 4), ("tbbn3p08.png", 4)] {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
            let reader = try bytes.withUnsafeBufferPointer { buffer throws(ImagingError) in
                try ImageRowReader(png: buffer, maxPixels: 1_000_000).channels
            }
            #expect(reader == channels, "\(name)")
        }
    }

    @Test func truncatedPNGFailsAtTheRowsItLacks() throws {
        let bytes = try TestImages.png(width: 300, height: 200)
        let truncated = Array(bytes.prefix(bytes.count / 2))
        #expect(throws: ImagingError.self) { try PNGCodec.decode(truncated, maxPixels: 1_000_000) }
        // The thumbnailer reads the same way.
        let probe = try ImageProber.probe(bytes)
        #expect(throws: ImagingError.self) {
            try Thumbnailer().thumbnails(of: truncated, probe: probe, widths: [100])
        }
    }

    /// The streaming resampler against a plain two-pass Lanczos3 in Double precision.
    @Test(arguments: [
        (97, 31, 3, 20, 7), (640, 480, 3, 320, 240), (1000, 1, 3, 320, 1), (1, 500, 3, 1, 40),
        (333, 222, 4, 100, 67), (400, 300, 1, 130, 97), (50, 40, 3, 50, 10), (64, 64, 4, 64, 64),
    ])
    func streamingResamplerMatchesATwoPassReference(
        sourceWidth: Int, sourceHeight: Int, channels: Int, width: Int, height: Int
    ) {
        let source = TestImages.pixels(width: sourceWidth, height: sourceHeight, channels: channels, seed: 7)
        let streamed = Resampler.resize(source, width: width, height: height)
        let reference = Self.reference(source, width: width, height: height)
        #expect((streamed.width, streamed.height, streamed.channels) == (width, height, channels))
        let worst = zip(streamed.pixels, reference).map { abs(Int($0) - Int($1)) }.max() ?? 0
        #expect(worst <= 1)
    }

    static func reference(_ image: PixelBuffer, width: Int, height: Int) -> [UInt8] {
        if image.width == width && image.height == height { return image.pixels }
        let channels = image.channels
        func weights(_ input: Int, _ output: Int) -> [(start: Int, weights: [Double])] {
            let scale = Double(input) / Double(output)
            let filterScale = max(scale, 1)
            return (0..<output).map { position in
                let center = (Double(position) + 0.5) * scale
                let first = max(0, Int((center - 3 * filterScale).rounded(.down)))
                let last = min(input - 1, Int((center + 3 * filterScale).rounded(.up)))
                let raw = (first...max(first, last)).map {
                    Resampler.lanczos3((Double($0) + 0.5 - center) / filterScale)
                }
                let total = raw.reduce(0, +)
                return (first, raw.map { total == 0 ? 0 : $0 / total })
            }
        }
        // Premultiplied Doubles, horizontal then vertical.
        func sample(_ x: Int, _ y: Int, _ channel: Int) -> Double {
            let base = (y * image.width + x) * channels
            let value = Double(image.pixels[base + channel])
            guard channels == 4, channel < 3 else { return value }
            return value * Double(image.pixels[base + 3]) / 255
        }
        let columns = weights(image.width, width)
        var horizontal = [Double](repeating: 0, count: width * image.height * channels)
        for y in 0..<image.height {
            for x in 0..<width {
                for channel in 0..<channels {
                    var sum = 0.0
                    for (offset, weight) in columns[x].weights.enumerated() {
                        sum += sample(columns[x].start + offset, y, channel) * weight
                    }
                    horizontal[(y * width + x) * channels + channel] = sum
                }
            }
        }
        let rows = weights(image.height, height)
        var result = [UInt8](repeating: 0, count: width * height * channels)
        for y in 0..<height {
            for x in 0..<width {
                var values = [Double](repeating: 0, count: channels)
                for channel in 0..<channels {
                    for (offset, weight) in rows[y].weights.enumerated() {
                        values[channel] +=
                            horizontal[((rows[y].start + offset) * width + x) * channels + channel] * weight
                    }
                }
                if channels == 4 {
                    let alpha = min(max(values[3], 0), 255)
                    for channel in 0..<3 { values[channel] = alpha > 0 ? values[channel] * 255 / alpha : 0 }
                    values[3] = alpha
                }
                for channel in 0..<channels {
                    result[(y * width + x) * channels + channel] = UInt8(min(max(values[channel], 0), 255).rounded())
                }
            }
        }
        return result
    }
}
