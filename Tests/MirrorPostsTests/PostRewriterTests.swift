import MirrorPosts
import Testing

struct PostRewriterTests {
    let scanner = ReferenceScanner(
        frontMatterKeys: ["headimg"],
        resolver: ImageURLResolver(unwrapPrefixes: [], baseURL: nil, localPrefix: "/m"))

    /// Replaces every fetchable reference by `/m/<n>` and returns the new text.
    func rewrite(_ text: String) throws -> String {
        let bytes = Array(text.utf8)
        let references = scanner.scan(bytes, isMarkdown: true).references.filter { $0.target != nil }
        let edits = try references.enumerated().map { index, reference in
            let encoded = try #require(reference.encoding.encode("/m/\(index)"))
            return PostEdit(
                range: reference.valueRange, expected: Array(reference.rawValue.utf8), replacement: Array(encoded.utf8))
        }
        return String(decoding: try PostRewriter.apply(edits, to: bytes), as: UTF8.self)
    }

    @Test func onlyValueBytesChange() throws {
        let post =
            "\n---\nheadimg: 'http://a.test/h.jpg'\n---\n<IMG  data-original = \"http://a.test/x.jpg?a=1&amp;b=2\"\nsrc=http://a.test/y.jpg >tail"
        #expect(
            try rewrite(post)
                == "\n---\nheadimg: '/m/0'\n---\n<IMG  data-original = \"/m/1\"\nsrc=/m/2 >tail")
    }

    @Test func rewritingTwiceChangesNothing() throws {
        let once = try rewrite("<img src=\"http://a.test/x.jpg\"> ![a](http://a.test/y.jpg)")
        #expect(try rewrite(once) == once)
    }

    @Test func staleEditsAreRefused() {
        let bytes = Array("<img src=\"http://a.test/x.jpg\">".utf8)
        let edit = PostEdit(range: 10..<29, expected: Array("http://a.test/z.jpg".utf8), replacement: Array("/m".utf8))
        #expect(throws: PostRewriter.Failure.unexpectedBytes(10..<29)) { try PostRewriter.apply([edit], to: bytes) }
    }

    @Test func overlappingAndOutOfBoundsEditsAreRefused() {
        let bytes = Array("0123456789".utf8)
        let a = PostEdit(range: 0..<4, expected: Array("0123".utf8), replacement: [])
        let b = PostEdit(range: 2..<6, expected: Array("2345".utf8), replacement: [])
        #expect(throws: PostRewriter.Failure.overlapping(0..<4, 2..<6)) { try PostRewriter.apply([a, b], to: bytes) }
        let c = PostEdit(range: 8..<12, expected: [], replacement: [])
        #expect(throws: PostRewriter.Failure.outOfBounds(8..<12)) { try PostRewriter.apply([c], to: bytes) }
    }

    @Test func encodingsEscapeWhatTheirSyntaxNeeds() {
        #expect(
            ValueEncoding.htmlAttribute(quote: UInt8(ascii: "\"")).encode("/a?b=1&c=\"2\"")
                == "/a?b=1&amp;c=&quot;2&quot;")
        #expect(ValueEncoding.yamlSingleQuoted.encode("/it's") == "/it''s")
        #expect(ValueEncoding.yamlPlain.encode("/a: b") == nil)
        #expect(ValueEncoding.markdownDestination(angle: false).encode("/a b") == nil)
    }
}
