import MirrorPosts
import Testing

/// The places other generators write images: template calls, image links, WordPress sizes,
/// posters, style URLs, nested and TOML front matter; what must not count; declared sizes; and
/// that rewriting each place changes only its URL.
struct GeneratorPlacesTests {
    let scanner = ReferenceScanner(
        frontMatterKeys: ["thumbnail", "cover", "image", "images", "featured_image", "featuredImage"],
        resolver: ImageURLResolver(unwrapPrefixes: [], baseURL: nil, localPrefix: "/mirror"))

    func scan(_ text: String, markdown: Bool = true) -> PostScan {
        scanner.scan(Array(text.utf8), isMarkdown: markdown)
    }

    /// `kind description = value` of each reference.
    func places(_ text: String, markdown: Bool = true) -> [String] {
        scan(text, markdown: markdown).references.map { "\($0.place.kind) \($0.place) = \($0.value)" }
    }

    @Test func hugoShortcodesInBothDelimitersAndOverLines() {
        let post = """
            {{< figure src="https://a.example/x.jpg" link="https://a.example/big.jpg" width="600" height="400" >}}
            {{% figure src="https://a.example/y.png" %}}
            {{<figure
              src=https://a.example/z.jpg
              caption="A caption" >}}
            {{< gallery >}}{{< img src="https://a.example/g.jpeg" />}}{{< /gallery >}}
            {{< video src="https://a.example/clip.mp4" >}} {{< blog-video src=vimeo >}}
            {{< reveal-titlepage figure="/img/cover.png" >}}
            """
        #expect(
            places(post) == [
                "shortcode {{< figure >}} #0 src = https://a.example/x.jpg",
                "shortcode {{< figure >}} #0 link = https://a.example/big.jpg",
                "shortcode {{< figure >}} #1 src = https://a.example/y.png",
                "shortcode {{< figure >}} #2 src = https://a.example/z.jpg",
                "shortcode {{< img >}} #4 src = https://a.example/g.jpeg",
                "shortcode {{< reveal-titlepage >}} #7 figure = /img/cover.png",
            ])
        let figure = scan(post).references[0]
        #expect(figure.declaredSize == DeclaredSize(width: 600, height: 400))
        #expect(figure.place.variantSelectors == ["figure@src"])
    }

    @Test func liquidAndNunjucksTags() {
        let post = """
            {% img left https://a.example/x.jpg 600 400 'A title' %}
            {%img /images/b.png%}
            {%\u{3000}img https://a.example/wide.jpg %}
            {% image "https://a.example/e.jpg", "alt text" %}
            {% include image.html url="https://a.example/inc.png" caption="c" %}
            {% include link.html url=page %}
            {% photoGridItem "https://a.example/grid.jpg" %}
            {% photoGrid "two-column" %}
            {% raw %}{% img https://a.example/raw.jpg %}{% endraw %}
            {% comment %}{% img https://a.example/comment.jpg %}{% endcomment %}
            {# {% img https://a.example/nunjucks.jpg %} #}
            """
        #expect(
            places(post) == [
                "tag_plugin {% img %} #0 src = https://a.example/x.jpg",
                "tag_plugin {% img %} #1 src = /images/b.png",
                "tag_plugin {% img %} #2 src = https://a.example/wide.jpg",
                "tag_plugin {% image %} #3 src = https://a.example/e.jpg",
                "tag_plugin {% include:image.html %} #4 url = https://a.example/inc.png",
                "tag_plugin {% photoGridItem %} #6 #0 = https://a.example/grid.jpg",
            ])
        #expect(scan(post).references[0].declaredSize == DeclaredSize(width: 600, height: 400))
    }

    @Test func templateCallsInCodeOrEscapedDoNotCount() {
        let post = """
            ```
            {{< figure src="https://a.example/fenced.jpg" >}}
            ```
            `{% img https://a.example/inline.jpg %}`

                {{< figure src="https://a.example/indented.jpg" >}}

            {{</* figure src="https://a.example/escaped.jpg" */>}}
            \\{\\{< figure src="https://a.example/backslashes.jpg" >\\}\\}
            """
        #expect(places(post).isEmpty)
    }

    @Test func imageLinksWordPressSizesPostersAndStyles() {
        let post = """
            <a href="https://a.example/big.JPG?size=full"><img src="https://a.example/t.jpg"></a>
            <a href="https://a.example/page">a page</a>
            <img data-orig-file="https://a.example/o.jpg" data-orig-size="1024,768"
                 data-large-file="https://a.example/l.jpg" src="https://a.example/m.jpg">
            <video poster="https://a.example/poster.png">
            <div style="color: red; background-image: url('https://a.example/bg.jpg')"></div>
            <span style="background: url(data:image/png;base64,AAA;) no-repeat"></span>
            [![thumb](https://a.example/thumb.png)](https://a.example/full.png "Full")
            [a page](https://a.example/page.html)
            """
        let found = scan(post).references
        #expect(
            found.map { "\($0.place.kind) \($0.place) = \($0.value)" } == [
                "image_link <a> (element 0) href = https://a.example/big.JPG?size=full",
                "html_attribute <img> #0 src = https://a.example/t.jpg",
                "html_attribute <img> (element 1) data-orig-file = https://a.example/o.jpg",
                "html_attribute <img> (element 1) data-large-file = https://a.example/l.jpg",
                "html_attribute <img> #1 src = https://a.example/m.jpg",
                "html_attribute <video> (element 2) poster = https://a.example/poster.png",
                "css_url <div> (element 3) style background-image[0] = https://a.example/bg.jpg",
                "css_url <span> (element 4) style background[0] = data:image/png;base64,AAA;",
                "markdown markdown image #0 = https://a.example/thumb.png",
                "markdown_link markdown image link #0 = https://a.example/full.png",
            ])
        #expect(found[2].declaredSize == DeclaredSize(width: 1024, height: 768))
        #expect(found[3].declaredSize == nil)
        #expect(found[7].target == nil)
        #expect(found[0].place.variantSelectors.contains("a@href"))
    }

    @Test func nestedYAMLFrontMatter() {
        let post = """
            ---
            cover:
              image: "https://a.example/cover.jpg"
              alt: A cover
            images:
              - path: https://a.example/1.jpg
              - url: https://a.example/gallery-page
              - url: https://a.example/2.png
            header:
              teaser: 'https://a.example/teaser.jpg'
            featuredImage: https://a.example/featured.jpg
            ---
            Text
            """
        #expect(
            places(post) == [
                "front_matter front matter cover.image = https://a.example/cover.jpg",
                "front_matter front matter images.path[0] = https://a.example/1.jpg",
                "front_matter front matter images.url[2] = https://a.example/2.png",
                "front_matter front matter header.teaser = https://a.example/teaser.jpg",
                "front_matter front matter featuredImage = https://a.example/featured.jpg",
            ])
    }

    @Test func tomlFrontMatter() {
        let post = """
            +++
            title = "A post" # a comment
            date = 2024-05-05T10:00:00Z
            tags = ["a", "b"]
            featured_image = "https://a.example/f\\u0069rst.jpg"
            thumbnail = ['https://a.example/t1.jpg', "https://a.example/t2.jpg"]
            [cover]
            image = 'https://a.example/cover.jpg'
            [[images]]
            path = "https://a.example/1.jpg"
            [[images]]
            path = \"\"\"https://a.example/multi.jpg\"\"\"
            +++
            ![body](https://a.example/body.jpg)
            """
        let result = scan(post)
        #expect(
            result.references.map { "\($0.place) = \($0.value)" } == [
                "front matter featured_image = https://a.example/first.jpg",
                "front matter thumbnail[0] = https://a.example/t1.jpg",
                "front matter thumbnail[1] = https://a.example/t2.jpg",
                "front matter cover.image = https://a.example/cover.jpg",
                "front matter images.path[0] = https://a.example/1.jpg",
                "markdown image #0 = https://a.example/body.jpg",
            ])
        #expect(result.problems.count == 1 && result.problems[0].contains("multi-line"), "\(result.problems)")
        #expect(result.references[0].encoding == .tomlBasic)
        #expect(result.references[3].encoding == .tomlLiteral)
    }

    @Test func brokenTOMLIsReportedAndLeftAlone() {
        let result = scan("+++\ntitle = Hello\ncover = \"https://a.example/c.jpg\"\n+++\nText\n")
        #expect(result.references.isEmpty)
        #expect(
            result.problems.count == 1 && result.problems[0].contains("line 2): not valid TOML"), "\(result.problems)")
    }

    /// Every new place rewritten to a local path, then scanned again: the same places, and the
    /// bytes between values unchanged.
    @Test func rewritingChangesOnlyTheURLBytes() throws {
        let post = """
            +++
            featured_image = "https://a.example/f.jpg"
            [cover]
            image = 'https://a.example/c.jpg'
            +++
            {{< figure src="https://a.example/x.jpg" link=https://a.example/big.jpg >}}
            {% img left https://a.example/y.jpg 600 400 %}
            {% image "https://a.example/e.jpg", "alt" %}
            <a href='https://a.example/l.jpg'>link</a> <video poster=https://a.example/p.png>
            <div style="background-image: url(&quot;https://a.example/bg.jpg&quot;)"></div>
            [text](<https://a.example/m.png>)
            """
        let bytes = Array(post.utf8)
        let before = scanner.scan(bytes, isMarkdown: true).references
        #expect(before.count == 10)
        let edits = try before.enumerated().map { index, reference in
            let local = try #require(reference.encoding.encode("/mirror/\(index).jpg"), "\(reference.place)")
            return PostEdit(
                range: reference.valueRange, expected: Array(reference.rawValue.utf8), replacement: Array(local.utf8))
        }
        let rewritten = try PostRewriter.apply(edits, to: bytes)
        let after = scanner.scan(rewritten, isMarkdown: true).references
        #expect(after.map(\.place) == before.map(\.place))
        #expect(after.enumerated().allSatisfy { $0.element.value == "/mirror/\($0.offset).jpg" })
        var expected = post
        for reference in before.reversed() {
            let index = before.firstIndex(of: reference) ?? 0
            let start = expected.utf8.index(expected.utf8.startIndex, offsetBy: reference.valueRange.lowerBound)
            let end = expected.utf8.index(expected.utf8.startIndex, offsetBy: reference.valueRange.upperBound)
            expected.replaceSubrange(start..<end, with: "/mirror/\(index).jpg")
        }
        #expect(String(decoding: rewritten, as: UTF8.self) == expected)
    }

    @Test func valuesASyntaxCannotHoldAreNotWritten() {
        #expect(ValueEncoding.templateArgument(quote: UInt8(ascii: "\"")).encode("/a\"b.jpg") == nil)
        #expect(ValueEncoding.templateArgument(quote: nil).encode("/a b.jpg") == nil)
        #expect(ValueEncoding.templateArgument(quote: nil).encode("/a.jpg") == "/a.jpg")
        #expect(ValueEncoding.tomlBasic.encode("/a\"b\\c.jpg") == "/a\\\"b\\\\c.jpg")
        #expect(ValueEncoding.tomlLiteral.encode("/a'b.jpg") == nil)
        #expect(ValueEncoding.cssURL(quote: nil, attributeQuote: UInt8(ascii: "\"")).encode("/a(b).jpg") == nil)
        #expect(ValueEncoding.cssURL(quote: nil, attributeQuote: nil).encode("/mirror/ab.jpg") == "/mirror/ab.jpg")
    }
}
