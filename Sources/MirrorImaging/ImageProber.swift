/// Reads type, size, orientation and frame count from image headers, never decoding pixels.
public enum ImageProber {
    public static func probe(_ bytes: [UInt8]) throws(ImagingError) -> ImageProbe {
        guard let format = ImageFormat.sniff(bytes) else {
            throw .notAnImage(describeNonImage(bytes))
        }
        var reader = ByteReader(bytes)
        let probe: ImageProbe
        switch format {
        case .jpeg: probe = try jpeg(&reader)
        case .png: probe = try png(&reader)
        case .gif: probe = try gif(&reader)
        case .webp: probe = try webp(&reader)
        case .bmp: probe = try bmp(&reader)
        case .avif, .heif: probe = try isoBMFF(bytes, format: format)
        case .svg: probe = svg(bytes)
        case .tiff, .ico: throw .unsupported("\(format.rawValue) images are stored but not probed")
        }
        guard probe.width > 0, probe.height > 0 || format == .svg else {
            throw .corrupt("\(format.rawValue) header declares \(probe.width)x\(probe.height)")
        }
        return probe
    }

    /// A short description of what a non-image body looks like, for the failure message.
    static func describeNonImage(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return "empty body" }
        let text = String(decoding: bytes.prefix(512), as: UTF8.self).lowercased()
        if text.contains("<html") || text.contains("<!doctype") || text.contains("<body") { return "an HTML page" }
        if let first = text.trimmingPrefix(while: { $0.isWhitespace }).first, first == "{" || first == "[" {
            return "JSON or text"
        }
        let hex = bytes.prefix(8).map {
            String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
        }
        return "unknown data starting with \(hex.joined(separator: " "))"
    }

    // MARK: - JPEG

    private static func jpeg(_ reader: inout ByteReader) throws(ImagingError) -> ImageProbe {
        try jpegFrame(&reader).probe
    }

    /// Walks a JPEG's segments to its frame header as libjpeg does (junk and fill bytes
    /// skipped): the frame's marker (SOFn) and what the probe reports.
    static func jpegFrame(_ reader: inout ByteReader) throws(ImagingError) -> (marker: UInt8, probe: ImageProbe) {
        reader.offset = 2
        var orientation = 1
        while true {
            // Markers may be preceded by any number of 0xFF fill bytes.
            guard var first = reader.u8() else { throw .corrupt("JPEG ends before its frame header") }
            // Junk between segments: libjpeg skips to the next marker (with a warning), so do we.
            while first != 0xFF {
                guard let next = reader.u8() else { throw .corrupt("JPEG ends before its frame header") }
                first = next
            }
            var marker = first
            while marker == 0xFF {
                guard let next = reader.u8() else { throw .corrupt("JPEG ends before its frame header") }
                marker = next
            }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { continue }
            if marker == 0xD9 { throw .corrupt("JPEG ends before its frame header") }
            guard let length = reader.u16be(), length >= 2 else { throw .corrupt("JPEG segment length is broken") }
            let segmentStart = reader.offset
            let segmentEnd = segmentStart + Int(length) - 2
            guard segmentEnd <= reader.count else { throw .corrupt("JPEG segment runs past the end of the file") }
            switch marker {
            case 0xC0...0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF:
                guard length >= 8, reader.u8() != nil, let height = reader.u16be(), let width = reader.u16be() else {
                    throw .corrupt("JPEG frame header is truncated")
                }
                if height == 0 { throw .unsupported("JPEG with height defined by DNL") }
                return (
                    marker, ImageProbe(format: .jpeg, width: Int(width), height: Int(height), orientation: orientation)
                )
            case 0xE1:
                if let found = ExifOrientation.read(reader.bytes, range: segmentStart..<segmentEnd, hasExifHeader: true)
                {
                    orientation = found
                }
            default:
                break
            }
            reader.offset = segmentEnd
        }
    }

    // MARK: - PNG

    private static func png(_ reader: inout ByteReader) throws(ImagingError) -> ImageProbe {
        reader.offset = 8
        guard let length = reader.u32be(), length == 13, reader.ascii(4) == "IHDR", let width = reader.u32be(),
            let height = reader.u32be()
        else { throw .corrupt("PNG does not start with a valid IHDR chunk") }
        guard width <= Int32.max, height <= Int32.max else { throw .corrupt("PNG IHDR size is out of range") }
        reader.offset = 33
        var frames = 1
        // acTL (APNG) must come before the first IDAT.
        while let chunkLength = reader.u32be(), let type = reader.ascii(4), type != "IDAT" {
            if type == "acTL", let count = reader.u32be() {
                frames = Int(max(1, count))
                break
            }
            reader.offset += Int(chunkLength) + 4
            if reader.offset >= reader.count { break }
        }
        return ImageProbe(format: .png, width: Int(width), height: Int(height), frames: frames)
    }

    /// True when `bytes` (the start of a PNG) reach the first IDAT chunk, so everything the PNG
    /// probe reads (IHDR, acTL) is in them.
    static func pngHeadersEnd(in bytes: [UInt8]) -> Bool {
        var reader = ByteReader(bytes)
        reader.offset = 8
        while let length = reader.u32be(), let type = reader.ascii(4) {
            if type == "IDAT" { return true }
            reader.offset += Int(length) + 4
        }
        return false
    }

    // MARK: - GIF

    private static func gif(_ reader: inout ByteReader) throws(ImagingError) -> ImageProbe {
        reader.offset = 6
        guard let width = reader.u16le(), let height = reader.u16le(), let flags = reader.u8() else {
            throw .corrupt("GIF logical screen descriptor is truncated")
        }
        reader.offset = 13
        if flags & 0x80 != 0 { reader.offset += 3 << (Int(flags & 0x07) + 1) }
        var frames = 0
        // Like browsers and Pillow, a first frame larger than the logical screen grows the canvas.
        var canvasWidth = Int(width)
        var canvasHeight = Int(height)
        walk: while let introducer = reader.u8() {
            switch introducer {
            case 0x2C:
                frames += 1
                guard let left = reader.u16le(), let top = reader.u16le(), let frameWidth = reader.u16le(),
                    let frameHeight = reader.u16le(), let imageFlags = reader.u8()
                else { break walk }
                if frames == 1 {
                    canvasWidth = max(canvasWidth, Int(left) + Int(frameWidth))
                    canvasHeight = max(canvasHeight, Int(top) + Int(frameHeight))
                }
                if imageFlags & 0x80 != 0 { reader.offset += 3 << (Int(imageFlags & 0x07) + 1) }
                reader.offset += 1  // LZW minimum code size
                guard reader.skipSubBlocks() else { break walk }
            case 0x21:
                reader.offset += 1
                guard reader.skipSubBlocks() else { break walk }
            default:
                break walk
            }
        }
        return ImageProbe(format: .gif, width: canvasWidth, height: canvasHeight, frames: max(frames, 1))
    }

    // MARK: - WebP

    private static func webp(_ reader: inout ByteReader) throws(ImagingError) -> ImageProbe {
        reader.offset = 12
        guard let chunk = reader.ascii(4), reader.u32le() != nil else { throw .corrupt("WebP has no first chunk") }
        let payload = reader.offset
        switch chunk {
        case "VP8 ":
            reader.offset = payload + 3
            guard reader.u8() == 0x9D, reader.u8() == 0x01, reader.u8() == 0x2A, let width = reader.u16le(),
                let height = reader.u16le()
            else { throw .corrupt("WebP VP8 frame header is broken") }
            return ImageProbe(format: .webp, width: Int(width & 0x3FFF), height: Int(height & 0x3FFF))
        case "VP8L":
            guard reader.u8() == 0x2F, let bits = reader.u32le() else { throw .corrupt("WebP VP8L header is broken") }
            return ImageProbe(format: .webp, width: Int(bits & 0x3FFF) + 1, height: Int((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":
            guard let flags = reader.u8() else { throw .corrupt("WebP VP8X header is truncated") }
            reader.offset = payload + 4
            guard let width = reader.u24le(), let height = reader.u24le() else {
                throw .corrupt("WebP VP8X header is truncated")
            }
            var orientation = 1
            var frames = 0
            reader.offset = payload + 10
            while let type = reader.ascii(4), let size = reader.u32le() {
                let start = reader.offset
                if type == "EXIF", flags & 0x08 != 0,
                    let found = ExifOrientation.read(
                        reader.bytes, range: start..<min(start + Int(size), reader.count), hasExifHeader: false)
                {
                    orientation = found
                }
                if type == "ANMF" { frames += 1 }
                reader.offset = start + Int(size) + Int(size & 1)
            }
            return ImageProbe(
                format: .webp, width: Int(width) + 1, height: Int(height) + 1, orientation: orientation,
                frames: max(frames, 1))
        default:
            throw .corrupt("WebP first chunk '\(chunk)' is unknown")
        }
    }

    // MARK: - BMP

    private static func bmp(_ reader: inout ByteReader) throws(ImagingError) -> ImageProbe {
        reader.offset = 14
        guard let headerSize = reader.u32le() else { throw .corrupt("BMP header is truncated") }
        if headerSize == 12 {
            guard let width = reader.u16le(), let height = reader.u16le() else {
                throw .corrupt("BMP header is truncated")
            }
            return ImageProbe(format: .bmp, width: Int(width), height: Int(height))
        }
        guard let width = reader.u32le(), let height = reader.u32le() else { throw .corrupt("BMP header is truncated") }
        return ImageProbe(
            format: .bmp, width: Int(Int32(bitPattern: width).magnitude),
            height: Int(Int32(bitPattern: height).magnitude))
    }

    // MARK: - AVIF / HEIF

    private static func isoBMFF(_ bytes: [UInt8], format: ImageFormat) throws(ImagingError) -> ImageProbe {
        let window = min(bytes.count, 1 << 16)
        var reader = ByteReader(bytes)
        var index = 0
        var size: (Int, Int)?
        var rotation = 0
        while index + 4 <= window {
            if bytes[index] == UInt8(ascii: "i") {
                let tag = String(decoding: bytes[index..<(index + 4)], as: UTF8.self)
                if tag == "ispe", size == nil {
                    reader.offset = index + 8
                    if let width = reader.u32be(), let height = reader.u32be() { size = (Int(width), Int(height)) }
                } else if tag == "irot", index + 4 < bytes.count {
                    rotation = Int(bytes[index + 4] & 0x03)
                }
            }
            index += 1
        }
        guard let (width, height) = size else { throw .corrupt("\(format.rawValue) has no ispe property") }
        // irot counts anticlockwise quarter turns; map to the matching EXIF orientation.
        let orientation = [1, 8, 3, 6][rotation]
        return ImageProbe(format: format, width: width, height: height, orientation: orientation)
    }

    // MARK: - SVG

    private static func svg(_ bytes: [UInt8]) -> ImageProbe {
        let tags = SVGRootReader.svgRoot(bytes)
        var width = tags.width
        var height = tags.height
        if width == nil || height == nil, let box = tags.viewBox {
            width = width ?? box.0
            height = height ?? box.1
        }
        return ImageProbe(format: .svg, width: width ?? 0, height: height ?? 0)
    }
}
