#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// memchr-backed searches: the scanner's inner loops are mostly "find the next `<`".
enum ByteSearch {
    static func firstIndex(of byte: UInt8, in bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        guard start < end else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            guard let found = memchr(base + start, Int32(byte), end - start) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    static func contains(_ byte: UInt8, in bytes: [UInt8], range: Range<Int>) -> Bool {
        firstIndex(of: byte, in: bytes, from: range.lowerBound, to: range.upperBound) != nil
    }

    /// Whether the bytes in `range` hold `needle`'s UTF-8 anywhere.
    static func contains(_ needle: String, in bytes: [UInt8], range: Range<Int>) -> Bool {
        var needle = needle
        return needle.withUTF8 { pattern in
            guard let first = pattern.first else { return true }
            var start = range.lowerBound
            while let index = firstIndex(of: first, in: bytes, from: start, to: range.upperBound) {
                guard index + pattern.count <= range.upperBound else { return false }
                var matched = true
                for offset in 1..<pattern.count where bytes[index + offset] != pattern[offset] {
                    matched = false
                    break
                }
                if matched { return true }
                start = index + 1
            }
            return false
        }
    }

    /// How many times `byte` occurs in `range` (a plain loop, which the compiler vectorizes).
    static func count(of byte: UInt8, in bytes: [UInt8], range: Range<Int>) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var total = 0
            for index in range where buffer[index] == byte { total += 1 }
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
}
