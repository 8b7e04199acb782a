/// One image value of a front matter (YAML or TOML), located in the post's bytes.
struct FrontMatterValue {
    /// The key, `parent.key` one level down.
    var key: String
    /// The position in a list, nil for a single value.
    var index: Int?
    /// The value as the generator reads it.
    var value: String
    var range: Range<Int>
    var encoding: ValueEncoding
}
