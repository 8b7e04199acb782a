/// Finds the image values of a TOML front matter (`+++` fences, Hugo's) by the same keys as
/// YAML's: top-level strings and lists of strings, and one level down in tables, inline tables
/// and arrays of tables (`[cover] image = "…"`, `[[images]] path = "…"`).
struct TOMLFrontMatterScanner {
    let keys: FrontMatterKeys

    init(keys: FrontMatterKeys) {
        self.keys = keys
    }

    func scan(_ bytes: [UInt8], frontMatter: FrontMatter) -> (values: [FrontMatterValue], problems: [String]) {
        let lines = LineIndex(bytes, upTo: frontMatter.blockRange.upperBound)
        let root: TOMLTable
        do {
            root = try TOMLReader.read(bytes, range: frontMatter.yamlRange)
        } catch {
            return (
                [],
                [
                    "front matter (line \(lines.line(of: error.offset))): not valid TOML, its images are left alone: "
                        + error.message
                ]
            )
        }
        var values: [FrontMatterValue] = []
        var problems: [String] = []
        func add(_ node: TOMLNode?, key: String, index: Int?) {
            guard case .string(let text, let range, let encoding)? = node else { return }
            guard let range, let encoding else {
                problems.append("front matter \(key): a multi-line string is not editable in place, left alone")
                return
            }
            values.append(FrontMatterValue(key: key, index: index, value: text, range: range, encoding: encoding))
        }
        for key in root.keys {
            if keys.isTopLevel(key) {
                switch root[key] {
                case .array(let items)?: for (index, item) in items.enumerated() { add(item, key: key, index: index) }
                case let node: add(node, key: key, index: nil)
                }
            }
            guard keys.isNestedParent(key) else { continue }
            for (table, index) in Self.tables(of: root[key]) {
                for sub in FrontMatterKeys.nestedKeys {
                    if sub == "url", case .string(let text, _, _)? = table[sub], !ImagePath.isImage(text, strict: true)
                    {
                        continue
                    }
                    add(table[sub], key: "\(key).\(sub)", index: index)
                }
            }
        }
        return (values, problems)
    }

    /// A table, or the tables of an array with their positions.
    private static func tables(of node: TOMLNode?) -> [(TOMLTable, Int?)] {
        switch node {
        case .table(let table)?: return [(table, nil)]
        case .array(let items)?:
            return items.enumerated().compactMap { index, item in
                if case .table(let table) = item { return (table, index) }
                return nil
            }
        default: return []
        }
    }
}
