/// Byte-level character classes of template-call text, as generators (and Python's `\s`/`\w`,
/// which the reference oracle uses) see them: Unicode whitespace, including the ideographic
/// space real posts put between `{%` and `img`.
enum TemplateText {
    /// The length of the whitespace character at `index` (0 when there is none).
    @inline(__always)
    static func whitespaceLength(_ bytes: [UInt8], _ index: Int, _ end: Int) -> Int {
        guard index < end else { return 0 }
        let byte = bytes[index]
        if byte < 0x80 {
            return byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) || (byte >= 0x1C && byte <= 0x1F) ? 1 : 0
        }
        guard index + 1 < end else { return 0 }
        let next = bytes[index + 1]
        switch byte {
        case 0xC2: return next == 0x85 || next == 0xA0 ? 2 : 0
        case 0xE1:
            guard index + 2 < end else { return 0 }
            return next == 0x9A && bytes[index + 2] == 0x80 ? 3 : 0
        case 0xE2:
            guard index + 2 < end else { return 0 }
            let last = bytes[index + 2]
            if next == 0x80, last <= 0x8A || last == 0xA8 || last == 0xA9 || last == 0xAF { return 3 }
            return next == 0x81 && last == 0x9F ? 3 : 0
        case 0xE3:
            guard index + 2 < end else { return 0 }
            return next == 0x80 && bytes[index + 2] == 0x80 ? 3 : 0
        default: return 0
        }
    }

    /// Moves `index` past whitespace.
    @inline(__always)
    static func skipWhitespace(_ bytes: [UInt8], _ index: inout Int, _ end: Int) {
        while true {
            let length = whitespaceLength(bytes, index, end)
            if length == 0 { return }
            index += length
        }
    }

    /// A byte of a word (`\w`): ASCII letters, digits and `_`, and every byte of a non-ASCII
    /// character (which are letters in the names that matter).
    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "_")
    }

    @inline(__always)
    static func isASCIILetter(_ byte: UInt8) -> Bool {
        byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A
    }

    /// Whether `bytes` at `index` spell `text` exactly.
    static func matches(_ bytes: [UInt8], _ index: Int, _ end: Int, _ text: [UInt8]) -> Bool {
        guard index + text.count <= end else { return false }
        for offset in 0..<text.count where bytes[index + offset] != text[offset] { return false }
        return true
    }
}
