/// What one walk over a body's tags has gathered so far.
struct HTMLWalk {
    var references: [ImageReference] = []
    /// Image links, WordPress sizes, posters and style URLs.
    var further: [ImageReference] = []
    /// The `<img>`/`<source>` tags outside code, in order.
    var tags: [Range<Int>] = []
    /// The number of the next element with further places (links, posters, style URLs).
    var element = 0
    /// Without `url(` in the body no style needs reading, and most tags are only skipped.
    let mayHaveStyleURLs: Bool

    init(mayHaveStyleURLs: Bool) {
        self.mayHaveStyleURLs = mayHaveStyleURLs
    }

    /// Adds one element's further references, counting it when it had any.
    mutating func add(_ found: [ImageReference]) {
        guard !found.isEmpty else { return }
        further += found
        element += 1
    }

    private static let href: StaticString = "href"
    private static let poster: StaticString = "poster"
    private static let style: StaticString = "style"

    /// Reads the rest of a tag other than `<img>`/`<source>`, keeping the first `href` of an
    /// `<a>`, `poster` of a `<video>` and `style` of any tag; nil when the input ends inside it.
    func readLinked(_ start: HTMLCursor.StartTag, _ cursor: inout HTMLCursor) -> [(String, HTMLCursor.Attribute)]? {
        let wanted: StaticString? =
            switch start.kind {
            case .anchor: Self.href
            case .video: Self.poster
            default: nil
            }
        guard wanted != nil || mayHaveStyleURLs else { return cursor.skipTagBody() ? [] : nil }
        var found: [(String, HTMLCursor.Attribute)] = []
        var sawWanted = false
        var sawStyle = false
        while true {
            switch cursor.nextTagBodyStep() {
            case .attribute(let attribute):
                if let wanted, !sawWanted, cursor.spells(wanted, attribute.name) {
                    sawWanted = true
                    found.append((wanted.description, attribute))
                } else if mayHaveStyleURLs, !sawStyle, cursor.spells(Self.style, attribute.name) {
                    sawStyle = true
                    found.append(("style", attribute))
                }
            case .closed: return found
            case .endOfInput: return nil
            }
        }
    }
}
