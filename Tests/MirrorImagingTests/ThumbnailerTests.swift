import Foundation
import MirrorImaging
import TestSupport
import Testing

struct ThumbnailerTests {
    let thumbnailer = Thumbnailer(quality: 82, maxPixels: 50_000_000)

    @Test func widthsSmallerThanTheImageOnlyNeverUpscaled() throws {
        let bytes = try TestImages.jpeg(width: 500, height: 250)
        let probe = try ImageProber.probe(bytes)
        let thumbnails = try thumbnailer.thumbnails(of: bytes, probe: probe, widths: [640, 320, 100, 320])
        #expect(thumbnails.map(\.width) == [100, 320])
        #expect(thumbnails.map(\.height) == [50, 160])
        for thumbnail in thumbnails {
            let decoded = try JPEGCodec.decode(thumbnail.bytes, maxPixels: 1_000_000)
            #expect((decoded.width, decoded.height) == (thumbnail.width, thumbnail.height))
        }
    }

    @Test func exifOrientationIsApplied() throws {
        // recurser's examples: every orientation of the same upright landscape picture.
        let folder = Paths.shared.appendingPathComponent("images/exif-orientation/recurser-exif-orientation-examples")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasPrefix("Landscape_")
        }
        #expect(names.count >= 8)
        var shapes: Set<String> = []
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
            let probe = try ImageProber.probe(bytes)
            let thumbnail = try #require(try thumbnailer.thumbnails(of: bytes, probe: probe, widths: [120]).first)
            #expect(thumbnail.width == 120)
            #expect(thumbnail.width > thumbnail.height, "\(name) displays as landscape")
            shapes.insert("\(thumbnail.width)x\(thumbnail.height)")
        }
        #expect(shapes.count == 1)
    }

    @Test func outputSameKeepsPNGForOpaquePNGs() throws {
        let png = try TestImages.png(width: 400, height: 200)
        let jpeg = try TestImages.jpeg(width: 400, height: 200)
        for (bytes, auto, same) in [(png, ImageFormat.jpeg, ImageFormat.png), (jpeg, .jpeg, .jpeg)] {
            let probe = try ImageProber.probe(bytes)
            let byDefault = try #require(try thumbnailer.thumbnails(of: bytes, probe: probe, widths: [100]).first)
            var keeping = thumbnailer
            keeping.output = .same
            let kept = try #require(try keeping.thumbnails(of: bytes, probe: probe, widths: [100]).first)
            #expect(byDefault.format == auto && kept.format == same)
            #expect(try ImageProber.probe(kept.bytes).format == same)
        }
    }

    @Test func transparentImagesGetPNGThumbnails() throws {
        let bytes = try TestImages.png(width: 400, height: 200, alpha: true)
        let probe = try ImageProber.probe(bytes)
        let thumbnail = try #require(try thumbnailer.thumbnails(of: bytes, probe: probe, widths: [100]).first)
        #expect(thumbnail.format == .png)
        let decoded = try PNGCodec.decode(thumbnail.bytes, maxPixels: 1_000_000)
        #expect((decoded.width, decoded.height) == (100, 50))
        // The left quarter is transparent in the source and stays so.
        #expect(decoded.pixels[3] == 0)
        #expect(decoded.pixels[(25 * 100 + 90) * 4 + 3] == 255)
    }

    @Test func lanczosKeepsFlatColourFlat() {
        let flat = PixelBuffer(width: 97, height: 31, channels: 3, pixels: [UInt8](repeating: 137, count: 97 * 31 * 3))
        let resized = Resampler.resize(flat, width: 20, height: 7)
        #expect(resized.pixels.allSatisfy { $0 == 137 })
    }
}

extension ThumbnailerTests {
    /// Found by FuzzProbes (FUZZ_FORMAT=avif): an `ispe` box claiming 4294967295×4294967295
    /// overflowed the pixel-budget multiplication and trapped. It must be a clean refusal.
    @Test func absurdHeaderSizesAreRefusedNotOverflowed() throws {
        let found: [UInt8] =
            [0x69, 0x23, 0x70, 0x69, 0x73, 0x70, 0x65, 0x01, 0x65] + [UInt8](repeating: 0xFF, count: 56) + [0x01]
        let bytes: [UInt8] = [0, 0, 0, 0x1C] + Array("ftypavif".utf8) + found
        let probe = try ImageProber.probe(bytes)
        #expect(probe.width > 1 << 31 && probe.height > 1 << 31)
        #expect(throws: ImagingError.self) {
            try Thumbnailer(quality: 82, maxPixels: 100_000_000).thumbnails(of: bytes, probe: probe, widths: [320])
        }
    }

    /// `outputs`: each width in each format from one decode; WebP keeps transparency, a JPEG of
    /// a transparent image is flattened over white, a format given twice is made once.
    @Test func everyWidthInEveryOutput() throws {
        let multi = Thumbnailer(quality: 82, maxPixels: 50_000_000, outputs: [.webp, .jpeg, .auto, .jpeg])
        let opaque = try TestImages.jpeg(width: 400, height: 300, seed: 2)
        let made = try multi.thumbnails(of: opaque, probe: try ImageProber.probe(opaque), widths: [100, 200])
        #expect(made.map { "\($0.width)\($0.format.rawValue)" } == ["100webp", "100jpeg", "200webp", "200jpeg"])
        for thumbnail in made where thumbnail.format == .webp {
            let decoded = try WebPCodec.decode(thumbnail.bytes, maxPixels: 1_000_000)
            #expect((decoded.width, decoded.height, decoded.channels) == (thumbnail.width, thumbnail.height, 3))
        }
        let transparent = try TestImages.png(width: 300, height: 200, alpha: true, seed: 4)
        let withAlpha = try multi.thumbnails(of: transparent, probe: try ImageProber.probe(transparent), widths: [150])
        #expect(withAlpha.map(\.format) == [.webp, .jpeg, .png], "auto is PNG for transparency")
        let webp = try WebPCodec.decode(withAlpha[0].bytes, maxPixels: 1_000_000)
        #expect(webp.channels == 4 && webp.hasTransparency)
        let jpeg = try JPEGCodec.decode(withAlpha[1].bytes, maxPixels: 1_000_000)
        #expect(jpeg.channels == 3)
    }
}
