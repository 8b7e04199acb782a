import Yams

/// Finds the image values of configured front-matter keys, parsed with Yams, and locates each
/// value's exact bytes so it can be replaced without touching anything else.
struct FrontMatterScanner {
    typealias Value = FrontMatterValue

    let keys: FrontMatterKeys
    /// Whether simple front matter is read without Yams (``SimpleFrontMatter``); off only to
    /// compare the two readings.
    var readsSimpleFrontMatterDirectly = true

    init(keys: FrontMatterKeys) {
        self.keys = keys
    }
    func scan(_ bytes: [UInt8], frontMatter: FrontMatter) -> (values: [Value], problems: [String]) {
        guard mayHoldAnythingToReport(bytes, frontMatter.yamlRange) else { return ([], []) }
        let yamlStart = frontMatter.yamlRange.lowerBound
        let lines = LineIndex(bytes, upTo: frontMatter.blockRange.upperBound)
        let firstLine = lines.line(of: yamlStart)
        if readsSimpleFrontMatterDirectly,
            let simple = SimpleFrontMatter.read(
                bytes, frontMatter.yamlRange, firstLine: firstLine, imageKeys: keys.nestedParents)
        {
            return values(of: simple)
        }
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
        let locator = FrontMatterLocator(bytes: bytes, frontMatter: frontMatter, firstLine: firstLine, lines: lines)
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { continue }
            if !keys.isTopLevel(key), case .scalar(let scalar) = valueNode, scalar.string.containsBytes("<img") {
                let line = (scalar.mark?.line ?? 1) + firstLine - 1
                problems.append(Self.imageTagProblem(key: key, line: line))
            }
            if keys.isTopLevel(key) {
                for (scalar, index) in Self.scalars(of: valueNode) {
                    locator.add(scalar, key: key, index: index, to: &values, problems: &problems)
                }
            }
            if keys.isNestedParent(key) {
                for (item, index) in Self.mappings(of: valueNode) {
                    for sub in FrontMatterKeys.nestedKeys {
                        guard case .scalar(let scalar)? = item.first(where: { $0.key.string == sub })?.value,
                            sub != "url" || ImagePath.isImage(scalar.string, strict: true)
                        else { continue }
                        locator.add(scalar, key: "\(key).\(sub)", index: index, to: &values, problems: &problems)
                    }
                }
            }
        }
        return (values, problems)
    }

    /// What composing gives, from a simple front matter (which has no nested mappings).
    private func values(of simple: SimpleFrontMatter) -> (values: [Value], problems: [String]) {
        var values: [Value] = []
        var problems: [String] = []
        func add(_ scalar: SimpleFrontMatter.Scalar, key: String, index: Int?) {
            guard !scalar.isNull else { return }
            values.append(
                Value(key: key, index: index, value: scalar.value, range: scalar.range, encoding: scalar.encoding))
        }
        for (key, value) in simple.entries {
            switch value {
            case .scalar(let scalar) where keys.isTopLevel(key): add(scalar, key: key, index: nil)
            case .scalar(let scalar):
                if scalar.value.containsBytes("<img") {
                    problems.append(Self.imageTagProblem(key: key, line: scalar.line))
                }
            case .sequence(let items) where keys.isTopLevel(key):
                for (index, item) in items.enumerated() { add(item, key: key, index: index) }
            case .text(let line, let holdsImageTag):
                if holdsImageTag {
                    problems.append(Self.imageTagProblem(key: key, line: line))
                }
            case .sequence, .words: break
            }
        }
        return (values, problems)
    }

    /// Some themes keep HTML in front-matter strings (`excerpt:`); its images are not edited
    /// inside YAML, but the owner is told.
    private static func imageTagProblem(key: String, line: Int) -> String {
        "front matter \(key) (line \(line)): holds HTML with <img> tags, which are not mirrored"
    }

    /// A scalar value, or the scalars of a sequence with their positions.
    private static func scalars(of node: Node) -> [(Node.Scalar, Int?)] {
        switch node {
        case .scalar(let scalar): return [(scalar, nil)]
        case .sequence(let sequence):
            return sequence.enumerated().compactMap { index, item in
                if case .scalar(let scalar) = item { return (scalar, index) }
                return nil
            }
        default: return []
        }
    }

    /// A mapping value, or the mappings of a sequence with their positions.
    private static func mappings(of node: Node) -> [(Node.Mapping, Int?)] {
        switch node {
        case .mapping(let mapping): return [(mapping, nil)]
        case .sequence(let sequence):
            return sequence.enumerated().compactMap { index, item in
                if case .mapping(let mapping) = item { return (mapping, index) }
                return nil
            }
        default: return []
        }
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
        guard keys.searchable, !ByteSearch.contains(UInt8(ascii: "\\"), in: bytes, range: range),
            !ByteSearch.contains("<img", in: bytes, range: range)
        else { return true }
        return keys.anyAppears(in: bytes, range: range)
    }
}
