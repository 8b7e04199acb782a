/// Which front-matter keys hold images: the configured keys (a string or a list of strings),
/// and one level down, below those and a few section keys (`header:`, `hero:`, `gallery:`), the
/// keys themes use for an image (`cover: image:`, `images: [{path: …}]`).
struct FrontMatterKeys {
    /// Sections whose image keys are read one level down even when not configured.
    static let sections = ["header", "hero", "gallery"]
    /// Keys read one level down; `url` only when its value is an image path (a gallery's `url`
    /// is often a page).
    static let nestedKeys = [
        "image", "src", "url", "path", "image_path", "teaser", "overlay_image", "og_image", "thumbnail", "cover",
        "banner", "feature", "featured_image",
    ]

    let topLevel: [String]
    let nestedParents: [String]
    /// Whether every key is spelled in the text as it is written in YAML (see
    /// ``FrontMatterScanner``): then a front matter naming none of them need not be read.
    let searchable: Bool
    private let keyBytes: [[UInt8]]
    /// The first bytes of the keys, for one pass over a front matter's text.
    private let firstBytes: [Bool]

    init(_ configured: [String]) {
        topLevel = configured
        nestedParents = configured + Self.sections.filter { !configured.contains($0) }
        searchable = nestedParents.allSatisfy { key in
            key.utf8.allSatisfy {
                $0 < 0x80 && $0 != UInt8(ascii: "K") && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: "`")
                    // Not as written in the text: `'` is doubled when single-quoted; a space or
                    // tab may be folded across lines in an explicit (`? `) key.
                    && $0 != UInt8(ascii: "'") && $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t")
            }
        }
        keyBytes = nestedParents.map { Array($0.utf8) }.filter { !$0.isEmpty }
        var first = [Bool](repeating: false, count: 256)
        for key in keyBytes { first[Int(key[0])] = true }
        firstBytes = first
    }

    /// Whether any key's bytes stand anywhere in `bytes[range]`: one pass, however many keys.
    func anyAppears(in bytes: [UInt8], range: Range<Int>) -> Bool {
        var index = range.lowerBound
        while index < range.upperBound {
            if firstBytes[Int(bytes[index])] {
                for key in keyBytes where key[0] == bytes[index] {
                    if TemplateText.matches(bytes, index, range.upperBound, key) { return true }
                }
            }
            index += 1
        }
        return false
    }

    /// Every key whose presence in the text means the front matter must be read.
    var all: [String] { nestedParents }

    // A handful of keys: comparing them beats hashing them into a set per post.
    func isTopLevel(_ key: String) -> Bool { topLevel.contains(key) }

    func isNestedParent(_ key: String) -> Bool { nestedParents.contains(key) }
}
