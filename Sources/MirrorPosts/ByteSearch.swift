#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// memchr-backed searches: the scanner's inner loops are mostly "find the next `<`".
enum ByteSearch {
    static func firstIndex(of byte: UInt8, in bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        bytes.withUnsafeBufferPointer { firstIndex(of: byte, in: $0, from: start, to: end) }
    }

    /// Where `byte` first stands in `bytes[start..<end]`.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        guard start < end, let base = bytes.baseAddress,
            let found = memchr(base + start, Int32(byte), end - start)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    static func contains(_ byte: UInt8, in bytes: [UInt8], range: Range<Int>) -> Bool {
        firstIndex(of: byte, in: bytes, from: range.lowerBound, to: range.upperBound) != nil
    }

    /// Whether the bytes in `range` hold `needle`'s UTF-8 anywhere.
    static func contains(_ needle: String, in bytes: [UInt8], range: Range<Int>) -> Bool {
        firstIndex(of: needle, in: bytes, range: range) != nil
    }

    /// Where `pattern` first stands whole in `bytes[start..<end]` (an empty pattern: at `start`).
    /// memchr looks for the byte at `anchor`, which the caller picks rare: `(` of `url(` rather
    /// than its `u` (glibc's memmem, measured, is slower than either for needles this short).
    static func firstIndex(
        of pattern: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int,
        anchor: Int = 0
    ) -> Int? {
        guard !pattern.isEmpty else { return start }
        let anchor = min(max(anchor, 0), pattern.count - 1)
        let anchorByte = pattern[anchor]
        var index = start + anchor
        while let found = firstIndex(of: anchorByte, in: bytes, from: index, to: end) {
            let candidate = found - anchor
            guard candidate + pattern.count <= end else { return nil }
            var matched = true
            for offset in 0..<pattern.count where bytes[candidate + offset] != pattern[offset] {
                matched = false
                break
            }
            if matched { return candidate }
            index = found + 1
        }
        return nil
    }

    /// How many times `byte` occurs in `range`, eight bytes at a time (the line numbers of a
    /// post's references count every newline before the last one).
    static func count(of byte: UInt8, in bytes: [UInt8], range: Range<Int>) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !range.isEmpty, range.upperBound <= buffer.count else { return 0 }
            let start = base + range.lowerBound
            let length = range.count
            let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
            let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            var total = 0
            var index = 0
            while index + 8 <= length {
                let word = UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self) ^ pattern
                // The high bit of each byte that is zero, and nothing else: adding 0x7F to the low
                // seven bits never carries into the next byte.
                let zeros = ~(((word & low7) &+ low7) | word | low7)
                total &+= zeros.nonzeroBitCount
                index += 8
            }
            while index < length {
                if start[index] == byte { total &+= 1 }
                index += 1
            }
            return total
        }
    }

    /// The first index of a two-byte sequence.
    static func firstIndex(of first: UInt8, _ second: UInt8, in bytes: [UInt8], range: Range<Int>) -> Int? {
        var start = range.lowerBound
        while let index = firstIndex(of: first, in: bytes, from: start, to: range.upperBound) {
            if index + 1 < range.upperBound, bytes[index + 1] == second { return index }
            start = index + 1
        }
        return nil
    }

    /// Where `needle`'s UTF-8 first stands whole in `bytes[range]`; memchr looks for its byte
    /// at `anchor`.
    static func firstIndex(of needle: String, in bytes: [UInt8], range: Range<Int>, anchor: Int = 0) -> Int? {
        var needle = needle
        return needle.withUTF8 { pattern in
            bytes.withUnsafeBufferPointer { buffer in
                firstIndex(of: pattern, in: buffer, from: range.lowerBound, to: range.upperBound, anchor: anchor)
            }
        }
    }
}
