import MirrorPosts
import Testing

struct HTMLTokenizerTests {
    func tags(_ html: String) -> [HTMLStartTag] {
        HTMLTokenizer.startTags(in: Array(html.utf8))
    }

    func raw(_ html: String, _ attribute: HTMLAttribute) -> String {
        guard let range = attribute.valueRange else { return "<none>" }
        return String(decoding: Array(html.utf8)[range], as: UTF8.self)
    }

    @Test func quotingStylesAndCase() throws {
        let html = #"<IMG SRC="a.jpg" data-src='b.jpg' alt=c.jpg Width = 10 hidden>"#
        let tag = try #require(tags(html).first)
        #expect(tag.name == "img")
        #expect(tag.attributes.map(\.name) == ["src", "data-src", "alt", "width", "hidden"])
        #expect(tag.attribute("src")?.value == "a.jpg")
        #expect(tag.attribute("src")?.quote == UInt8(ascii: "\""))
        #expect(tag.attribute("data-src")?.quote == UInt8(ascii: "'"))
        #expect(tag.attribute("alt")?.quote == nil)
        #expect(tag.attribute("width")?.value == "10")
        #expect(tag.attribute("hidden")?.valueRange == nil)
        let src = try #require(tag.attribute("src"))
        #expect(raw(html, src) == "a.jpg")
    }

    @Test func attributesAcrossLinesAndDuplicatesFirstWins() throws {
        let html = "<img\n  src=\"one.jpg\"\n\tsrc=\"two.jpg\"\n  data-original=\"x\"\n/>"
        let tag = try #require(tags(html).first)
        #expect(tag.attribute("src")?.value == "one.jpg")
        #expect(tag.attributes.count == 2)
    }

    @Test func characterReferencesAreDecodedButRangesStayRaw() throws {
        let html = #"<img src="https://x.test/a?b=1&amp;c=2&#x26;d=&#51;&copy=4">"#
        let tag = try #require(tags(html).first)
        let src = try #require(tag.attribute("src"))
        #expect(src.value == "https://x.test/a?b=1&c=2&d=3&copy=4")
        #expect(raw(html, src) == "https://x.test/a?b=1&amp;c=2&#x26;d=&#51;&copy=4")
    }

    /// The whole WHATWG table: any name with `;`, multi-code-point values, the 106 legacy names
    /// without `;` (except before an alphanumeric or `=` in an attribute), unknown names kept.
    @Test(arguments: [
        ("caf&eacute;", "café"), ("&NotNestedGreaterGreater;", "\u{2AA2}\u{338}"), ("&fjlig;", "fj"),
        ("a&para", "a\u{B6}"), ("?x=1&para=2", "?x=1&para=2"), ("?x=1&param", "?x=1&param"),
        ("&sect.", "\u{A7}."), ("&nosuchname;", "&nosuchname;"), ("&Eacute;&eacute", "Éé"),
    ])
    func namedReferencesFollowTheWholeTable(raw: String, decoded: String) throws {
        let tag = try #require(tags("<img src=\"\(raw)\">").first)
        #expect(tag.attribute("src")?.value == decoded)
    }

    @Test func commentsCDATAAndRawTextHideTags() {
        let html = """
            <!-- <img src="c1"> --><![CDATA[ <img src="c2"> ]]><script>var s = "<img src='c3'>";</script>\
            <style>/* <img src="c4"> */</style><textarea><img src="c5"></textarea><title><img src="c6"></title>\
            <img src="real"><!--><img src="after-abrupt-comment">
            """
        let sources = tags(html).filter { $0.name == "img" }.compactMap { $0.attribute("src")?.value }
        #expect(sources == ["real", "after-abrupt-comment"])
    }

    @Test func quotedGreaterThanDoesNotEndATag() throws {
        let html = #"<img alt="a > b" src="x.jpg"><p title='>'>"#
        let all = tags(html)
        #expect(all.count == 2)
        #expect(all[0].attribute("src")?.value == "x.jpg")
    }

    @Test func unfinishedTagAtEndIsDropped() {
        #expect(tags(#"<p>ok</p><img src="x.jpg"#).map(\.name) == ["p"])
    }

    @Test func endTagsWithAttributesAndBogusMarkupAreSkipped() {
        let html = #"</div class=">"><?php echo 1 ?><!DOCTYPE html><img src="a">"#
        #expect(tags(html).map(\.name) == ["img"])
    }
}
