/// Reads the orientation tag (0x0112) from EXIF data in either byte order.
enum ExifOrientation {
    /// `range` is an APP1 payload (starting `Exif\0\0`) or, with `hasExifHeader: false`, bare TIFF.
    static func read(_ bytes: [UInt8], range: Range<Int>, hasExifHeader: Bool) -> Int? {
        var start = range.lowerBound
        if hasExifHeader {
            guard range.count >= 14, Array(bytes[start..<(start + 6)]) == Array("Exif\0\0".utf8) else { return nil }
            start += 6
        } else if range.count >= 6, Array(bytes[start..<(start + 6)]) == Array("Exif\0\0".utf8) {
            start += 6
        }
        guard range.upperBound - start >= 8 else { return nil }
        let little: Bool
        switch (bytes[start], bytes[start + 1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ offset: Int) -> Int? {
            let at = start + offset
            guard offset >= 0, at + 2 <= range.upperBound else { return nil }
            return little ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : Int(bytes[at]) << 8 | Int(bytes[at + 1])
        }
        func u32(_ offset: Int) -> Int? {
            guard let a = u16(offset), let b = u16(offset + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd) else { return nil }
        for entry in 0..<min(entries, 512) {
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at) else { return nil }
            if tag == 0x0112 {
                guard let value = u16(at + 8), (1...8).contains(value) else { return nil }
                return value
            }
        }
        return nil
    }
}
