import Foundation
import TestSupport
import Testing

@testable import MirrorImaging

/// Thumbnails keep the original's colour profile where it changes the colours shown.
struct ICCProfileTests {
    func profile(of bytes: [UInt8]) throws -> [UInt8]? {
        let format = ImageFormat.sniff(bytes)
        if format == .webp { return Self.webpProfile(bytes) }
        if format == .avif { return Self.avifProfile(bytes) }
        return try bytes.withUnsafeBufferPointer { buffer throws(ImagingError) in
            format == .png
                ? try ImageRowReader(png: buffer, maxPixels: 100_000_000).iccProfile
                : try ImageRowReader(jpeg: buffer, scaleDenominator: 8, blockSmoothing: true, maxPixels: 100_000_000)
                    .iccProfile
        }
    }

    func thumbnail(_ path: String, output: Thumbnailer.Output = .auto) throws -> (original: [UInt8]?, made: Thumbnail) {
        let bytes = try [UInt8](Data(contentsOf: Paths.shared.appendingPathComponent("images/\(path)")))
        let probe = try ImageProber.probe(bytes)
        let made = try #require(
            try Thumbnailer(output: output).thumbnails(of: bytes, probe: probe, widths: [64]).first)
        return (try profile(of: bytes), made)
    }

    @Test(arguments: [
        "odd-jpeg/pillow/xmp_test.jpg",  // Adobe RGB (1998)
        "exif-orientation/exif-samples-orientation/landscape_3.jpg",  // Generic RGB
        "odd-jpeg/pillow/icc_profile_big.jpg",  // "TIFF RGB", over several APP2 markers
    ])
    func anRGBProfileOtherThanSRGBIsKept(path: String) throws {
        let (original, made) = try thumbnail(path)
        let profile = try #require(original)
        #expect(!ICCProfile.describesSRGB(profile))
        #expect(made.format == .jpeg)
        #expect(try self.profile(of: made.bytes) == profile)
    }

    /// The payload of an AVIF's `colr` box of type `prof` (ISO/IEC 23008-12): the box's 32-bit
    /// size, `colr`, `prof`, the profile.
    static func avifProfile(_ bytes: [UInt8]) -> [UInt8]? {
        let marker = Array("colrprof".utf8)
        guard bytes.count > 12 else { return nil }
        for start in 4..<(bytes.count - marker.count) where bytes[start..<start + marker.count].elementsEqual(marker) {
            let size =
                Int(bytes[start - 4]) << 24 | Int(bytes[start - 3]) << 16 | Int(bytes[start - 2]) << 8
                | Int(bytes[start - 1])
            let end = start - 4 + size
            guard size > 12, end <= bytes.count else { return nil }
            return Array(bytes[(start + 8)..<end])
        }
        return nil
    }

    /// The payload of a WebP's ICCP chunk.
    static func webpProfile(_ bytes: [UInt8]) -> [UInt8]? {
        var offset = 12
        while offset + 8 <= bytes.count {
            let size =
                Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16
                | Int(bytes[offset + 7]) << 24
            if bytes[offset..<offset + 4].elementsEqual("ICCP".utf8) {
                return offset + 8 + size <= bytes.count ? Array(bytes[(offset + 8)..<(offset + 8 + size)]) : nil
            }
            offset += 8 + size + (size & 1)
        }
        return nil
    }

    @Test func pngKeepsItsProfileInEveryOutput() throws {
        let path = "photos/pypi-scikit-image/color.png"  // "Color LCD"
        for output in Thumbnailer.Output.allCases {
            let (original, made) = try thumbnail(path, output: output)
            #expect(original != nil)
            #expect(try profile(of: made.bytes) == original, "\(output)")
        }
    }

    @Test(arguments: [
        "odd-jpeg/pillow/pil_sample_rgb.jpg",  // sRGB IEC61966-2.1: the default anyway
        "photos/debian-plasma-workspace-wallpapers/ColorfulCups_2560x1600.jpg",  // "sRGB" (v4, mluc)
        "odd-jpeg/jpeg-decoder-reftest/ycck.jpg",  // CMYK profile, pixels converted to RGB here
    ])
    func sRGBAndCMYKProfilesAreLeftOut(path: String) throws {
        let (original, made) = try thumbnail(path)
        #expect(original != nil)
        #expect(try profile(of: made.bytes) == nil)
    }

    @Test func malformedProfileTablesAreNotSRGBAndDoNotTrap() {
        var header = [UInt8](repeating: 0, count: 140)
        header.replaceSubrange(16..<20, with: Array("RGB ".utf8))
        header[131] = 200  // 200 tags claimed, none there
        #expect(!ICCProfile.describesSRGB(header))
        #expect(ICCProfile.toEmbed(header, channels: 3) == header)
        #expect(ICCProfile.toEmbed(Array(header.prefix(100)), channels: 3) == nil)
        #expect(ICCProfile.toEmbed(header, channels: 1) == nil)
    }
}
