/// Bounds-checked reads from a byte array; every read returns nil past the end.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var count: Int { bytes.count }

    mutating func u8() -> UInt8? {
        guard offset >= 0, offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16be() -> UInt16? {
        guard let high = u8(), let low = u8() else { return nil }
        return UInt16(high) << 8 | UInt16(low)
    }

    mutating func u16le() -> UInt16? {
        guard let low = u8(), let high = u8() else { return nil }
        return UInt16(high) << 8 | UInt16(low)
    }

    mutating func u24le() -> UInt32? {
        guard let a = u8(), let b = u8(), let c = u8() else { return nil }
        return UInt32(a) | UInt32(b) << 8 | UInt32(c) << 16
    }

    mutating func u32be() -> UInt32? {
        guard let high = u16be(), let low = u16be() else { return nil }
        return UInt32(high) << 16 | UInt32(low)
    }

    mutating func u32le() -> UInt32? {
        guard let low = u16le(), let high = u16le() else { return nil }
        return UInt32(high) << 16 | UInt32(low)
    }

    mutating func ascii(_ length: Int) -> String? {
        guard offset >= 0, offset + length <= bytes.count else { return nil }
        defer { offset += length }
        return String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
    }

    /// Skips GIF data sub-blocks up to and including the terminator; false when they run out.
    mutating func skipSubBlocks() -> Bool {
        while let size = u8() {
            if size == 0 { return true }
            offset += Int(size)
        }
        return false
    }
}
