import Yams

/// Finds the image values of configured front-matter keys, parsed with Yams, and locates each
/// value's exact bytes so it can be replaced without touching anything else.
struct FrontMatterScanner {
    struct Value {
        var key: String
        var index: Int?
        var value: String
        var range: Range<Int>
        var encoding: ValueEncoding
    }

    let keys: [String]
    /// YAML's spellings of null, for plain scalars.
    static let nulls: Set<String> = ["~", "null", "Null", "NULL"]

    func scan(_ bytes: [UInt8], frontMatter: FrontMatter) -> (values: [Value], problems: [String]) {
        guard mayHoldAnythingToReport(bytes, frontMatter.yamlRange) else { return ([], []) }
        let yamlStart = frontMatter.yamlRange.lowerBound
        let lines = LineIndex(bytes, upTo: frontMatter.blockRange.upperBound)
        let firstLine = lines.line(of: yamlStart)
        let text = String(decoding: bytes[frontMatter.yamlRange], as: UTF8.self)
        let root: Node?
        do {
            // The basic resolver keeps every scalar a string (no regex-based tag guessing) and an
            // explicit encoding spares Yams an environment lookup per document. Nothing is
            // constructed from the nodes, so the constructor needs no maps (the default one
            // builds three dictionaries per call).
            root = try Yams.compose(yaml: text, .basic, Constructor([:], [:], [:]), .utf8)
        } catch {
            return ([], ["front matter (line \(firstLine)): not valid YAML, its images are left alone: \(error)"])
        }
        guard case .mapping(let mapping)? = root else { return ([], []) }
        var values: [Value] = []
        var problems: [String] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { continue }
            // A handful of keys: comparing them beats hashing them into a set per post.
            let wanted = keys.contains(key)
            // Some themes keep HTML in front-matter strings (excerpt:); its images are not
            // edited inside YAML, but the owner is told.
            if !wanted, case .scalar(let scalar) = valueNode, scalar.string.containsBytes("<img") {
                let line = (scalar.mark?.line ?? 1) + firstLine - 1
                problems.append(
                    "front matter \(key) (line \(line)): holds HTML with <img> tags, which are not mirrored")
            }
            guard wanted else { continue }
            var scalars: [(Node.Scalar, Int?)] = []
            switch valueNode {
            case .scalar(let scalar): scalars = [(scalar, nil)]
            case .sequence(let sequence):
                for (index, item) in sequence.enumerated() {
                    if case .scalar(let scalar) = item { scalars.append((scalar, index)) }
                }
            default: continue
            }
            for (scalar, index) in scalars {
                if scalar.string.isEmpty || (scalar.style == .plain && Self.nulls.contains(scalar.string)) { continue }
                if let located = locate(scalar, in: bytes, frontMatter: frontMatter, firstLine: firstLine, lines: lines)
                {
                    values.append(
                        Value(key: key, index: index, value: scalar.string, range: located.0, encoding: located.1))
                } else {
                    let line = (scalar.mark?.line ?? 1) + firstLine - 1
                    problems.append("front matter \(key) (line \(line)): value style not editable in place, left alone")
                }
            }
        }
        return (values, problems)
    }

    /// Whether composing the YAML can find a value or a problem to report. Composing is most of
    /// the time a post takes to scan, and most front matter names no image key at all. A
    /// wanted key, an `<img` or a YAML escape (a backslash, which could spell either) must then
    /// be in the text as written: plain, single-quoted, folded and block scalars only remove
    /// quotes, indentation and line breaks or turn them into spaces, and an alias repeats text
    /// written elsewhere in the same front matter. Keys are compared as Swift strings
    /// (canonically equivalent), so a key with non-ASCII text or with `K`, `;` or `` ` ``
    /// (which U+212A, U+037E and U+1FEF are equivalent to), or with `'`, a space or a tab,
    /// always composes. What is given up:
    /// "not valid YAML" is no longer reported for broken front matter that names no image key,
    /// which has no image to leave alone.
    private func mayHoldAnythingToReport(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let canSearch = keys.allSatisfy { key in
            key.utf8.allSatisfy {
                $0 < 0x80 && $0 != UInt8(ascii: "K") && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: "`")
                    // Not as written in the text: `'` is doubled when single-quoted; a space or
                    // tab may be folded across lines in an explicit (`? `) key.
                    && $0 != UInt8(ascii: "'") && $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t")
            }
        }
        guard canSearch, !ByteSearch.contains(UInt8(ascii: "\\"), in: bytes, range: range),
            !ByteSearch.contains("<img", in: bytes, range: range)
        else { return true }
        return keys.contains { ByteSearch.contains($0, in: bytes, range: range) }
    }

    /// The byte range of a scalar's raw value, verified against its decoded text.
    private func locate(
        _ scalar: Node.Scalar,
        in bytes: [UInt8],
        frontMatter: FrontMatter,
        firstLine: Int,
        lines: LineIndex
    ) -> (Range<Int>, ValueEncoding)? {
        guard let mark = scalar.mark, let lineStart = lines.start(ofLine: firstLine + mark.line - 1) else { return nil }
        // libyaml counts columns in Unicode scalars; walk them as UTF-8 lead bytes.
        var offset = lineStart
        var remaining = mark.column - 1
        while remaining > 0, offset < frontMatter.yamlRange.upperBound {
            offset += 1
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            remaining -= 1
        }
        let raw: String
        let encoding: ValueEncoding
        var start = offset
        switch scalar.style {
        case .plain:
            raw = scalar.string
            encoding = .yamlPlain
        case .singleQuoted:
            guard start < bytes.count, bytes[start] == UInt8(ascii: "'") else { return nil }
            start += 1
            // `replacing` is slow for what it does; most values have no quote.
            raw =
                scalar.string.utf8.contains(UInt8(ascii: "'"))
                ? scalar.string.replacing("'", with: "''") : scalar.string
            encoding = .yamlSingleQuoted
        case .doubleQuoted:
            guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") else { return nil }
            start += 1
            let plainText =
                !scalar.string.contains("\\") && !scalar.string.contains("\"")
                && scalar.string.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
            guard plainText else { return nil }
            raw = scalar.string
            encoding = .yamlDoubleQuoted
        default:
            return nil
        }
        let rawBytes = Array(raw.utf8)
        let end = start + rawBytes.count
        guard end <= frontMatter.yamlRange.upperBound, bytes[start..<end].elementsEqual(rawBytes) else { return nil }
        return (start..<end, encoding)
    }
}
