import Foundation
import MirrorPosts
import TestSupport
import Testing

struct ReferenceScannerTests {
    let scanner = ReferenceScanner(
        frontMatterKeys: ["headimg", "thumbnail", "cover", "images"],
        resolver: ImageURLResolver(
            unwrapPrefixes: ["https://cors.zfour.workers.dev/?"], baseURL: nil, localPrefix: "/images/mirror"))

    func scan(_ text: String, markdown: Bool = true) -> [ImageReference] {
        scanner.scan(Array(text.utf8), isMarkdown: markdown).references
    }

    @Test func theSamplePost() throws {
        let url = Paths.shared.appendingPathComponent("samples/000_f6c7ce3e199e2f35.md")
        let bytes = try [UInt8](Data(contentsOf: url))
        let scan = scanner.scan(bytes, isMarkdown: true)
        #expect(scan.problems.isEmpty)
        let references = scan.references
        #expect(references.count == 8)
        #expect(references.map(\.place.description).prefix(2) == ["front matter headimg", "front matter thumbnail"])
        let origins = Set(references.compactMap { $0.target?.url })
        #expect(
            origins == [
                "http://zkres1.myzaker.com/202112/61af4f32b15ec06165253241_1024.jpg",
                "http://zkres2.myzaker.com/202112/61af4f32b15ec06165253242_1024.jpg",
                "http://zkres1.myzaker.com/202112/61af4f32b15ec06165253243_1024.jpg",
            ])
        let dataOriginal = references.filter { $0.place.description.hasSuffix("data-original") }
        #expect(
            dataOriginal.map { $0.declaredSize } == [
                DeclaredSize(width: 1920, height: 1280), DeclaredSize(width: 1385, height: 822),
                DeclaredSize(width: 1385, height: 733),
            ])
        // Every value range holds exactly the raw value.
        for reference in references {
            #expect(String(decoding: bytes[reference.valueRange], as: UTF8.self) == reference.rawValue)
        }
        let wrapped = references.filter { $0.target?.wrapper != nil }
        #expect(wrapped.count == 5)  // headimg, thumbnail, 3 × src
    }

    @Test func frontMatterScalarStylesAndLists() throws {
        let post = """
            ---
            headimg: http://a.test/plain.jpg
            thumbnail: "http://a.test/double.jpg"
            cover: 'http://a.test/it''s.jpg'
            images:
              - http://a.test/one.jpg
              - 'http://a.test/two.jpg'
            title: http://a.test/not-an-image-key.jpg
            ---
            body
            """
        let references = scan(post)
        #expect(
            references.map(\.value) == [
                "http://a.test/plain.jpg", "http://a.test/double.jpg", "http://a.test/it's.jpg",
                "http://a.test/one.jpg", "http://a.test/two.jpg",
            ])
        #expect(references.map(\.rawValue)[2] == "http://a.test/it''s.jpg")
        #expect(references[3].place == .frontMatter(key: "images", index: 0))
        #expect(references.map(\.line) == [2, 3, 4, 6, 7])
    }

    @Test func brokenFrontMatterIsReportedAndTheBodyStillScanned() {
        let post = "---\nheadimg: [unclosed\n---\n<img src=\"http://a.test/x.jpg\">"
        let scan = scanner.scan(Array(post.utf8), isMarkdown: true)
        #expect(scan.problems.count == 1)
        #expect(scan.references.map(\.value) == ["http://a.test/x.jpg"])
    }

    @Test func lazyAttributesSrcsetAndDeclaredSizes() throws {
        let html = """
            <img data-src="http://a.test/lazy.jpg" width="640px" height="480">
            <picture><source srcset="http://a.test/s1.webp 1x, http://a.test/s2.webp 2x"></picture>
            <img srcset="http://a.test/a,b.jpg 100w,http://a.test/c.jpg 200w" data-original-width="10" data-original-height="20">
            """
        let references = scan(html, markdown: false)
        #expect(
            references.map(\.value) == [
                "http://a.test/lazy.jpg", "http://a.test/s1.webp", "http://a.test/s2.webp", "http://a.test/a,b.jpg",
                "http://a.test/c.jpg",
            ])
        #expect(references[0].declaredSize == DeclaredSize(width: 640, height: 480))
        #expect(references.map(\.line) == [1, 2, 2, 3, 3])
        #expect(references[1].place == .srcsetCandidate(tag: "source", attribute: "srcset", element: 1, candidate: 0))
    }

    @Test func percentagesAndJunkAreUndeclared() {
        let references = scan(#"<img src="http://a.test/x.jpg" width="100%" height="auto">"#, markdown: false)
        #expect(references.first?.declaredSize == nil)
    }

    @Test func markdownImagesOutsideCodeOnly() {
        let post = """
            ![a](http://a.test/one.png "title") and ![b](<http://a.test/two words.png>)
            `![c](http://a.test/inline-code.png)` and ``<img src="http://a.test/in-code.png">``

            ```
            ![d](http://a.test/fenced.png)
            <img src="http://a.test/fenced.png">
            ```
            ~~~~
            ![e](http://a.test/tilde.png)
            ~~~~
            ![f](http://a.test/paren_(1).png)
            """
        #expect(
            scan(post).map(\.value) == [
                "http://a.test/one.png", "http://a.test/two words.png", "http://a.test/paren_(1).png",
            ])
    }

    @Test func templatesAndDataURIsAreSkippedNotFetched() {
        let references = scan(#"<img src="{{ site.logo }}"><img src="data:image/gif;base64,R0lGOD">"#, markdown: false)
        #expect(references.allSatisfy { $0.target == nil })
        #expect(references.map(\.skipReason) == [.templateExpression, .nonHTTPScheme("data:")])
    }

    @Test func valuesThatAreNotUTF8AreNeverRewritten() {
        // Found by the fuzzer: such bytes could not be restored exactly from the manifest's text.
        let post: [UInt8] = Array(#"<img src="http://a.test/a"#.utf8) + [0x88, 0x88] + Array(#".jpg">"#.utf8)
        let references = scanner.scan(post, isMarkdown: false).references
        #expect(references.count == 1)
        #expect(references.first?.target == nil)
        #expect(references.first?.skipReason == .notUTF8)
    }

    @Test func markdownSyntaxInsideAnImgTagIsNotAnImage() {
        // Found by the fuzzer: the Markdown image's bytes overlapped the attribute's reference.
        let post =
            #"<img data-original="http://a.test/a.jpg?![x](http://a.test/b.jpg)" alt="![y](http://a.test/c.jpg)">"#
        let references = scan(post)
        #expect(references.map(\.place.kind) == ["html_attribute"])
        #expect(references.first?.value == "http://a.test/a.jpg?![x](http://a.test/b.jpg)")
    }

    @Test func aMarkdownDefinitionInsideAnAttributeValueLosesToTheAttribute() {
        // Found by the fuzzer: a [label]: url line inside a multi-line src value.
        let post = "![logo][l]\n<img src=\"http://a.test/a.jpg\n[l]: http://a.test/b.jpg\n\">"
        let references = scan(post)
        #expect(references.map(\.place.kind) == ["html_attribute"])
    }
}

extension ReferenceScannerTests {
    @Test func htmlImagesInOtherFrontMatterStringsAreReported() {
        let post = "---\ntitle: t\nexcerpt: '<p><img data-original=\"http://a.test/x.jpg\"></p>'\n---\nbody"
        let scan = scanner.scan(Array(post.utf8), isMarkdown: true)
        #expect(scan.references.isEmpty)
        #expect(scan.problems == ["front matter excerpt (line 3): holds HTML with <img> tags, which are not mirrored"])
    }
}

/// The scanner reads `<img>`/`<source>` tags with its own allocation-free pass; it must see
/// each tag as ``HTMLTokenizer`` does.
extension ReferenceScannerTests {
    @Test func imageTagsReadAsTheTokenizerReadsThem() throws {
        let html = """
            <IMG SRC Src="http://a.test/second.jpg" Data-Src='http://a.test/lazy.jpg' data-src="http://a.test/dup.jpg" \
            WIDTH="&#49;0" height=20px data-width="x" data-height=5>
            <p title="<img src='http://a.test/in-title.jpg'>"><Source SrcSet="http://a.test/1.webp 1x,\
            http://a.test/2.webp 2x" data-srcset=" http://a.test/3.webp " width=7 height></source>
            <script><img src="http://a.test/in-script.jpg"></script><img/src="http://a.test/slash.jpg"/>
            """
        let bytes = Array(html.utf8)
        let references = scanner.scan(bytes, isMarkdown: false).references
        #expect(
            references.map(\.place.description) == [
                "<img> #0 data-src", "<source> #1 srcset[0]", "<source> #1 srcset[1]", "<source> #1 data-srcset[0]",
                "<img> #2 src",
            ])
        #expect(references.first?.declaredSize == DeclaredSize(width: 10, height: 20))
        #expect(references[1].declaredSize == nil)
        // The same facts from the tokenizer's full tags.
        let tags = HTMLTokenizer.startTags(in: bytes).filter { ["img", "source"].contains($0.name) }
        #expect(tags.count == 3)
        #expect(tags[0].attribute("src")?.valueRange == nil)
        #expect(tags[0].attribute("data-src")?.value == "http://a.test/lazy.jpg")
        #expect(tags[0].attribute("width")?.value == "10")
        #expect(scanner.imageElements(in: bytes, isMarkdown: false).map(\.range) == tags.map(\.range))
    }

    @Test func declaredLengthsFromRawBytes() {
        let cases: [(String, Int?)] = [
            ("12", 12), (" 12px\t", 12), ("007", 7), ("0", nil), ("px", nil), ("12 px", nil), ("1e3", nil),
            ("99999999999999999999", nil), ("9223372036854775807", Int.max), ("", nil), ("١٢", nil), ("12PX", nil),
        ]
        for (text, expected) in cases {
            #expect(DeclaredSize.parseLength(text) == expected, "\(text)")
            let html = "<img src=\"http://a.test/x.jpg\" width=\"\(text)\" height=\"3\">"
            let declared = scan(html, markdown: false).first?.declaredSize
            #expect(declared == expected.map { DeclaredSize(width: $0, height: 3) }, "\(text)")
        }
    }

    @Test func inlineCodeSpansOfSeveralLengthsOnOneLine() {
        let post = "`a` ![1](http://a.test/1.png) ``b ` ![2](http://a.test/2.png)`` ```c`` ![3](http://a.test/3.png)\n"
        #expect(scan(post).map(\.value) == ["http://a.test/1.png", "http://a.test/3.png"])
    }
}

/// Front matter is composed with Yams only when it can name an image or hold an `<img>`.
extension ReferenceScannerTests {
    @Test func frontMatterWithoutImageKeysIsNotComposed() {
        // Broken YAML with no image key: nothing to leave alone, so nothing is reported.
        let keyless = scanner.scan(Array("---\ntitle: [unclosed\n---\nbody".utf8), isMarkdown: true)
        #expect(keyless.problems.isEmpty)
        #expect(keyless.references.isEmpty)
        // Broken YAML naming an image key still reports.
        let withKey = scanner.scan(Array("---\ntitle: [unclosed\ncover: x\n---\nbody".utf8), isMarkdown: true)
        #expect(withKey.problems.count == 1)
    }

    @Test func aKeySpelledWithAnEscapeIsStillFound() {
        let post = "---\n\"head\\x69mg\": http://a.test/escaped.jpg\n---\nbody"
        #expect(scan(post).map(\.value) == ["http://a.test/escaped.jpg"])
        let aliased = "---\nname: &k thumbnail\n*k : http://a.test/aliased.jpg\n---\n"
        #expect(scan(aliased).map(\.value) == ["http://a.test/aliased.jpg"])
        let html = "---\nexcerpt: \"<\\x69mg src=x>\"\n---\n"
        #expect(scanner.scan(Array(html.utf8), isMarkdown: true).problems.count == 1)
    }
}

extension ReferenceScannerTests {
    /// Newlines are counted eight bytes at a time, then one by one: every split of the text
    /// before a reference must give its line.
    @Test func lineNumbersAfterAnyRunOfText() {
        for newlines in 0..<20 {
            for padding in 0..<9 {
                let filler = String(repeating: "x", count: padding) + "\n"
                let post = String(repeating: filler, count: newlines) + "é\n<img src=\"http://a.test/x.jpg\">"
                #expect(scan(post, markdown: false).map(\.line) == [newlines + 2], "\(newlines) × \(padding)")
            }
        }
    }
}
