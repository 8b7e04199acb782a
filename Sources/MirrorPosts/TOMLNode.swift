/// A value of a TOML document as far as image keys need it: strings with where they stand,
/// arrays, tables, and everything else as `other`.
indirect enum TOMLNode {
    /// A string; `range` is its text between the quotes and `encoding` how to write it there,
    /// both nil for a multi-line string (not edited in place).
    case string(value: String, range: Range<Int>?, encoding: ValueEncoding?)
    case array([TOMLNode])
    case table(TOMLTable)
    /// A number, boolean, date or time.
    case other
}

/// A TOML table: its keys in order of definition.
struct TOMLTable {
    private(set) var keys: [String] = []
    private var entries: [String: TOMLNode] = [:]

    subscript(key: String) -> TOMLNode? {
        get { entries[key] }
        set {
            if entries[key] == nil, newValue != nil { keys.append(key) }
            entries[key] = newValue
        }
    }
}
