/// Reads a TOML document (v1.0: tables, arrays of tables, dotted keys, inline tables, arrays,
/// every string form) into ``TOMLNode``s, keeping the byte range of each single-line string so
/// it can be edited in place. Numbers, booleans and dates are checked only for their
/// characters: a value written without quotes that is none of them is an error, as it is for
/// TOML parsers.
struct TOMLReader {
    let bytes: [UInt8]
    let end: Int
    var position: Int

    static func read(_ bytes: [UInt8], range: Range<Int>) throws(TOMLError) -> TOMLTable {
        var reader = TOMLReader(bytes: bytes, end: range.upperBound, position: range.lowerBound)
        return try reader.document()
    }

    private mutating func document() throws(TOMLError) -> TOMLTable {
        var root = TOMLTable()
        var current: [String] = []
        while true {
            skipBlankAndComments()
            guard position < end else { return root }
            if bytes[position] == UInt8(ascii: "[") {
                let isArray = position + 1 < end && bytes[position + 1] == UInt8(ascii: "[")
                position += isArray ? 2 : 1
                skipSpaces()
                let path = try key()
                skipSpaces()
                try expect(isArray ? "]]" : "]")
                try endOfLine()
                try Self.openTable(path[...], in: &root, appending: isArray, at: position)
                current = path
            } else {
                let path = try key()
                skipSpaces()
                try expect("=")
                skipSpaces()
                let node = try value()
                try endOfLine()
                let at = position
                try Self.within(current[...], in: &root, at: at) { table throws(TOMLError) in
                    try Self.set(node, at: path[...], in: &table, at: at)
                }
            }
        }
    }

    // MARK: - Tables

    /// Runs `body` on the table at `path` (the last table of an array of tables), making
    /// missing tables on the way.
    private static func within(
        _ path: ArraySlice<String>, in table: inout TOMLTable, at offset: Int,
        _ body: (inout TOMLTable) throws(TOMLError) -> Void
    ) throws(TOMLError) {
        guard let first = path.first else { return try body(&table) }
        switch table[first] {
        case nil:
            var inner = TOMLTable()
            try within(path.dropFirst(), in: &inner, at: offset, body)
            table[first] = .table(inner)
        case .table(var inner)?:
            try within(path.dropFirst(), in: &inner, at: offset, body)
            table[first] = .table(inner)
        case .array(var items)?:
            guard case .table(var inner)? = items.last else {
                throw TOMLError(message: "'\(first)' is not a table", offset: offset)
            }
            try within(path.dropFirst(), in: &inner, at: offset, body)
            items[items.count - 1] = .table(inner)
            table[first] = .array(items)
        default:
            throw TOMLError(message: "'\(first)' is not a table", offset: offset)
        }
    }

    private static func openTable(
        _ path: ArraySlice<String>, in root: inout TOMLTable, appending: Bool, at offset: Int
    ) throws(TOMLError) {
        guard let last = path.last else { throw TOMLError(message: "empty table name", offset: offset) }
        try within(path.dropLast(), in: &root, at: offset) { table throws(TOMLError) in
            switch table[last] {
            case nil: table[last] = appending ? .array([.table(TOMLTable())]) : .table(TOMLTable())
            case .array(var items)? where appending:
                items.append(.table(TOMLTable()))
                table[last] = .array(items)
            case .table? where !appending: break
            default: throw TOMLError(message: "'\(last)' is defined twice", offset: offset)
            }
        }
    }

    private static func set(
        _ node: TOMLNode, at path: ArraySlice<String>, in table: inout TOMLTable, at offset: Int
    ) throws(TOMLError) {
        guard let last = path.last else { return }
        try within(path.dropLast(), in: &table, at: offset) { inner throws(TOMLError) in
            guard inner[last] == nil else { throw TOMLError(message: "'\(last)' is defined twice", offset: offset) }
            inner[last] = node
        }
    }

    // MARK: - Keys and values

    /// A key: bare or quoted parts joined by dots.
    private mutating func key() throws(TOMLError) -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            guard position < end else { throw error("a key is missing") }
            switch bytes[position] {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard case .string(let text, _, _) = try string() else { throw error("a key is missing") }
                parts.append(text)
            default:
                let start = position
                while position < end, Self.isBareKeyByte(bytes[position]) { position += 1 }
                guard position > start else { throw error("a key is missing") }
                parts.append(String(decoding: bytes[start..<position], as: UTF8.self))
            }
            skipSpaces()
            guard position < end, bytes[position] == UInt8(ascii: ".") else { return parts }
            position += 1
        }
    }

    private mutating func value() throws(TOMLError) -> TOMLNode {
        guard position < end else { throw error("a value is missing") }
        switch bytes[position] {
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return try string()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "{"): return try inlineTable()
        default: return try scalar()
        }
    }

    private mutating func array() throws(TOMLError) -> TOMLNode {
        position += 1
        var items: [TOMLNode] = []
        while true {
            skipBlankAndComments()
            guard position < end else { throw error("an array is not closed") }
            if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            }
            items.append(try value())
            skipBlankAndComments()
            guard position < end else { throw error("an array is not closed") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] != UInt8(ascii: "]") {
                throw error("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func inlineTable() throws(TOMLError) -> TOMLNode {
        position += 1
        var table = TOMLTable()
        skipSpaces()
        if position < end, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .table(table)
        }
        while true {
            let path = try key()
            skipSpaces()
            try expect("=")
            skipSpaces()
            let node = try value()
            try Self.set(node, at: path[...], in: &table, at: position)
            skipSpaces()
            guard position < end else { throw error("an inline table is not closed") }
            if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .table(table)
            }
            try expect(",")
        }
    }

    /// A number, boolean, date or time: its characters, with one space allowed between a date
    /// and a time.
    private mutating func scalar() throws(TOMLError) -> TOMLNode {
        let start = position
        while position < end, Self.isScalarByte(bytes[position]) { position += 1 }
        if position + 1 < end, bytes[position] == 0x20, position - start == 10, bytes[position + 1] >= 0x30,
            bytes[position + 1] <= 0x39
        {
            position += 1
            while position < end, Self.isScalarByte(bytes[position]) { position += 1 }
        }
        let token = bytes[start..<position]
        guard let first = token.first else { throw error("a value is missing") }
        let word = String(decoding: token, as: UTF8.self)
        let numeric = (first >= 0x30 && first <= 0x39) || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
        guard numeric || ["true", "false", "inf", "nan"].contains(word) else {
            throw TOMLError(message: "'\(word)' is not a TOML value (strings need quotes)", offset: start)
        }
        return .other
    }

    // MARK: - Strings

    private mutating func string() throws(TOMLError) -> TOMLNode {
        let quote = bytes[position]
        let tripled = position + 2 < end && bytes[position + 1] == quote && bytes[position + 2] == quote
        if tripled { return try multiLineString(quote) }
        position += 1
        let start = position
        var escaped = false
        while position < end, bytes[position] != quote {
            if bytes[position] == 0x0A { throw error("a string is not closed on its line") }
            if quote == UInt8(ascii: "\""), bytes[position] == UInt8(ascii: "\\") {
                escaped = true
                position += 1
            }
            position += 1
        }
        guard position < end else { throw error("a string is not closed") }
        let range = start..<position
        position += 1
        if quote == UInt8(ascii: "'") {
            return .string(value: String(decoding: bytes[range], as: UTF8.self), range: range, encoding: .tomlLiteral)
        }
        let text = escaped ? try unescaped(range) : String(decoding: bytes[range], as: UTF8.self)
        return .string(value: text, range: range, encoding: .tomlBasic)
    }

    private mutating func multiLineString(_ quote: UInt8) throws(TOMLError) -> TOMLNode {
        position += 3
        let start = position
        while position + 2 < end {
            if bytes[position] == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") {
                position += 2
                continue
            }
            if bytes[position] == quote, bytes[position + 1] == quote, bytes[position + 2] == quote {
                // Up to two more quotes belong to the string.
                var close = position
                while close + 3 < end, bytes[close + 3] == quote, close - position < 2 { close += 1 }
                let text = String(decoding: bytes[start..<close], as: UTF8.self)
                position = close + 3
                return .string(value: text, range: nil, encoding: nil)
            }
            position += 1
        }
        throw error("a multi-line string is not closed")
    }

    /// A basic string's escapes: `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`.
    private func unescaped(_ range: Range<Int>) throws(TOMLError) -> String {
        var output = String.UnicodeScalarView()
        var text = String(decoding: bytes[range], as: UTF8.self).unicodeScalars[...]
        while let scalar = text.popFirst() {
            guard scalar == "\\" else {
                output.append(scalar)
                continue
            }
            guard let code = text.popFirst() else { throw error("a string ends in '\\'") }
            switch code {
            case "b": output.append("\u{08}")
            case "t": output.append("\t")
            case "n": output.append("\n")
            case "f": output.append("\u{0C}")
            case "r": output.append("\r")
            case "\"": output.append("\"")
            case "\\": output.append("\\")
            case "u", "U":
                let digits = String(String.UnicodeScalarView(text.prefix(code == "u" ? 4 : 8)))
                text = text.dropFirst(code == "u" ? 4 : 8)
                guard let value = UInt32(digits, radix: 16), let decoded = Unicode.Scalar(value) else {
                    throw error("'\\\(code)\(digits)' is no character")
                }
                output.append(decoded)
            default: throw error("'\\\(code)' is no TOML escape")
            }
        }
        return String(output)
    }

    // MARK: - Layout

    private mutating func skipSpaces() {
        while position < end, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
    }

    /// Spaces, line breaks and comments.
    private mutating func skipBlankAndComments() {
        while position < end {
            let byte = bytes[position]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                position += 1
            } else if byte == UInt8(ascii: "#") {
                while position < end, bytes[position] != 0x0A { position += 1 }
            } else {
                return
            }
        }
    }

    /// After a value or header: spaces, an optional comment, then a line break or the end.
    private mutating func endOfLine() throws(TOMLError) {
        skipSpaces()
        if position < end, bytes[position] == UInt8(ascii: "#") {
            while position < end, bytes[position] != 0x0A { position += 1 }
        }
        if position < end, bytes[position] == 0x0D { position += 1 }
        guard position >= end || bytes[position] == 0x0A else { throw error("expected the end of the line") }
    }

    private mutating func expect(_ text: StaticString) throws(TOMLError) {
        let pattern = text.withUTF8Buffer { Array($0) }
        guard TemplateText.matches(bytes, position, end, pattern) else { throw error("expected '\(text)'") }
        position += pattern.count
    }

    private func error(_ message: String) -> TOMLError {
        TOMLError(message: message, offset: position)
    }

    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
        TemplateText.isASCIILetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-")
    }

    private static func isScalarByte(_ byte: UInt8) -> Bool {
        TemplateText.isASCIILetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: ":")
    }
}
