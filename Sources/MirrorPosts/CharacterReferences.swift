/// Decodes and encodes HTML character references in attribute values.
public enum CharacterReferences {
    /// The WHATWG named references (2,125 names), built from the generated table on first use.
    static let named: [String: String] = {
        var table: [String: String] = [:]
        table.reserveCapacity(2_200)
        for line in CharacterReferenceTable.text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard let name = parts.first else { continue }
            var value = ""
            for code in parts.dropFirst() {
                if let scalar = UInt32(code, radix: 16).flatMap(Unicode.Scalar.init) {
                    value.unicodeScalars.append(scalar)
                }
            }
            table[String(name)] = value
        }
        return table
    }()
    /// Legacy names that decode even without a trailing semicolon.
    static let legacyWithoutSemicolon = CharacterReferenceTable.legacy

    /// Decodes references in an attribute value. In attributes, a legacy reference without `;`
    /// followed by an alphanumeric or `=` stays as written (`?a=1&copy=2` keeps `&copy`).
    public static func decode(_ raw: ArraySlice<UInt8>, inAttribute: Bool) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            guard byte == UInt8(ascii: "&"),
                let (text, length) = reference(in: raw, at: index, inAttribute: inAttribute)
            else {
                output.append(byte)
                index += 1
                continue
            }
            output.append(contentsOf: Array(text.utf8))
            index += length
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The text a reference at `start` stands for and how many bytes it spans.
    private static func reference(in raw: ArraySlice<UInt8>, at start: Int, inAttribute: Bool) -> (String, Int)? {
        var index = start + 1
        guard index < raw.endIndex else { return nil }
        if raw[index] == UInt8(ascii: "#") {
            index += 1
            var hex = false
            if index < raw.endIndex, raw[index] == UInt8(ascii: "x") || raw[index] == UInt8(ascii: "X") {
                hex = true
                index += 1
            }
            let digitsStart = index
            var value: UInt32 = 0
            while index < raw.endIndex, let digit = digitValue(raw[index], hex: hex) {
                value = min(value &* (hex ? 16 : 10) &+ digit, 0x11_0000)
                index += 1
            }
            guard index > digitsStart else { return nil }
            if index < raw.endIndex, raw[index] == UInt8(ascii: ";") { index += 1 }
            let scalar = Unicode.Scalar(value).flatMap { $0.value == 0 ? nil : $0 } ?? "\u{FFFD}"
            return (String(Character(scalar)), index - start)
        }
        let nameStart = index
        while index < raw.endIndex, isAlphanumeric(raw[index]) { index += 1 }
        guard index > nameStart else { return nil }
        let name = String(decoding: raw[nameStart..<index], as: UTF8.self)
        if index < raw.endIndex, raw[index] == UInt8(ascii: ";"), let text = named[name] {
            return (text, index + 1 - start)
        }
        guard legacyWithoutSemicolon.contains(name), let text = named[name] else { return nil }
        if inAttribute, index < raw.endIndex, isAlphanumeric(raw[index]) || raw[index] == UInt8(ascii: "=") {
            return nil
        }
        return (text, index - start)
    }

    /// Encodes a value for a quoted attribute: `&` and the quote character.
    public static func encodeAttribute(_ value: String, quote: UInt8?) -> String {
        var result = ""
        for character in value {
            switch character {
            case "&": result += "&amp;"
            case "\"" where quote != UInt8(ascii: "'"): result += "&quot;"
            case "'" where quote == UInt8(ascii: "'"): result += "&#39;"
            case " " where quote == nil: result += "%20"
            case ">" where quote == nil: result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }

    private static func digitValue(_ byte: UInt8, hex: Bool) -> UInt32? {
        switch byte {
        case 0x30...0x39: return UInt32(byte - 0x30)
        case 0x61...0x66 where hex: return UInt32(byte - 0x61 + 10)
        case 0x41...0x46 where hex: return UInt32(byte - 0x41 + 10)
        default: return nil
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        HTMLTokenizer.isASCIIAlpha(byte) || (byte >= 0x30 && byte <= 0x39)
    }
}
