import Foundation
import MirrorPosts
import Testing

/// Declared-size corrections and provenance attributes: only the intended bytes change, and the
/// recorded edits undo exactly.
struct ElementEditPlannerTests {
    let scanner = ReferenceScanner(
        frontMatterKeys: ["headimg"], resolver: ImageURLResolver(unwrapPrefixes: [], baseURL: nil, localPrefix: "/m"))

    func tags(_ text: String) -> (bytes: [UInt8], tags: [HTMLStartTag]) {
        let bytes = Array(text.utf8)
        return (bytes, scanner.imageElements(in: bytes, isMarkdown: true))
    }

    /// The anchor the sync uses: the element's `src` as written.
    func anchor(_ tag: HTMLStartTag, _ bytes: [UInt8]) -> ElementAnchor {
        let range = tag.attribute("src")?.valueRange ?? 0..<0
        return ElementAnchor(attribute: "src", value: String(decoding: bytes[range], as: UTF8.self))
    }

    func apply(_ edits: [PostEdit], _ bytes: [UInt8]) throws -> String {
        String(decoding: try PostRewriter.apply(edits, to: bytes), as: UTF8.self)
    }

    @Test func dataSizesTakeTheImageSize() throws {
        let (bytes, tags) = tags("<img data-width=\"1920\" data-height='1280px' src=x>")
        let edits = ElementEditPlanner.dimensionEdits(
            tag: tags[0], element: 0, bytes: bytes, displayed: (640, 480),
            anchor: anchor(tags[0], bytes))
        #expect(edits.map(\.place) == ["<img> #0 data-width", "<img> #0 data-height"])
        #expect(try apply(edits.map(\.edit), bytes) == "<img data-width=\"640\" data-height='480px' src=x>")
    }

    @Test func layoutSizesKeepTheWidth() throws {
        let (bytes, tags) = tags("<img width=300 height=300 src=x>")
        let edits = ElementEditPlanner.dimensionEdits(
            tag: tags[0], element: 0, bytes: bytes, displayed: (200, 100),
            anchor: anchor(tags[0], bytes))
        #expect(edits.map(\.place) == ["<img> #0 height"])
        #expect(try apply(edits.map(\.edit), bytes) == "<img width=300 height=150 src=x>")
    }

    @Test func valuesNotWrittenAsPlainDigitsAreLeftAlone() {
        for text in [
            "<img data-width=\"01920\" data-height=\"1280\">", "<img data-width=\"1920 \" data-height=\"1280\">",
            "<img data-width=\"&#49;920\" data-height=\"1280\">", "<img width=\"50%\" height=\"10\">",
        ] {
            let (bytes, tags) = tags(text)
            #expect(
                ElementEditPlanner.dimensionEdits(
                    tag: tags[0], element: 0, bytes: bytes, displayed: (7, 3),
                    anchor: anchor(tags[0], bytes)
                ).isEmpty)
        }
    }

    @Test func provenanceIsInsertedOnceAfterTheTagName() throws {
        let (bytes, tags) = tags("<p><img\nsrc=\"a.jpg\"/><source srcset=\"b.jpg 2x\">")
        let first = try #require(
            ElementEditPlanner.provenanceEdit(
                tag: tags[0], element: 0, attribute: "data-from", value: "http://a/?q=\"1\"&r",
                anchor: anchor(tags[0], bytes)))
        let second = try #require(
            ElementEditPlanner.provenanceEdit(
                tag: tags[1], element: 1, attribute: "data-from", value: "http://b/", anchor: anchor(tags[1], bytes)))
        let text = try apply([first.edit, second.edit], bytes)
        #expect(
            text
                == "<p><img data-from=\"http://a/?q=&quot;1&quot;&amp;r\"\nsrc=\"a.jpg\"/><source data-from=\"http://b/\" srcset=\"b.jpg 2x\">"
        )
        let again = scanner.imageElements(in: Array(text.utf8), isMarkdown: false)
        #expect(
            ElementEditPlanner.provenanceEdit(
                tag: again[0], element: 0, attribute: "data-from", value: "x",
                anchor: anchor(again[0], Array(text.utf8))) == nil)
        #expect(again[0].attribute("data-from")?.value == "http://a/?q=\"1\"&r")
    }

    @Test func recordedEditsUndoExactlyAndOnlyWhereUnchanged() throws {
        let original = "<img data-width=\"1920\" data-height=\"1280\" src=x>\n<img width=300 height=300 src=y>\n"
        let (bytes, tags) = tags(original)
        var edits = ElementEditPlanner.dimensionEdits(
            tag: tags[0], element: 0, bytes: bytes, displayed: (640, 480),
            anchor: anchor(tags[0], bytes))
        edits += ElementEditPlanner.dimensionEdits(
            tag: tags[1], element: 1, bytes: bytes, displayed: (200, 100),
            anchor: anchor(tags[1], bytes))
        edits += [tags[0], tags[1]].enumerated().compactMap {
            ElementEditPlanner.provenanceEdit(
                tag: $1, element: $0, attribute: "data-mm", value: "u\($0)", anchor: anchor($1, bytes))
        }
        let rewritten = Array(try apply(edits.map(\.edit), bytes).utf8)
        var recorded: [String: ElementEditPlanner.Recorded] = [:]
        for edit in edits {
            recorded[edit.place] = .init(
                kind: edit.kind, originalValue: edit.originalValue, localValue: edit.localValue, anchor: edit.anchor)
        }
        let restores = ElementEditPlanner.restoreEdits(
            tags: scanner.imageElements(in: rewritten, isMarkdown: false), bytes: rewritten, recorded: recorded)
        #expect(restores.count == edits.count)
        #expect(try apply(restores.map(\.edit), rewritten) == original)

        // Someone changed one height and the second provenance value since: those stay.
        let edited = Array(
            String(decoding: rewritten, as: UTF8.self).replacingOccurrences(of: "height=150", with: "height=151")
                .replacingOccurrences(of: "data-mm=\"u1\"", with: "data-mm=\"mine\"").utf8)
        let partial = ElementEditPlanner.restoreEdits(
            tags: scanner.imageElements(in: edited, isMarkdown: false), bytes: edited, recorded: recorded)
        #expect(Set(partial.map(\.place)) == ["<img> #0 data-width", "<img> #0 data-height", "<img> #0 data-mm"])
        #expect(
            try apply(partial.map(\.edit), edited)
                == "<img data-width=\"1920\" data-height=\"1280\" src=x>\n<img data-mm=\"mine\" width=300 height=151 src=y>\n"
        )
    }

    /// An element added before the edited one renumbers the elements: the undo goes to the
    /// element that holds the anchor or nowhere, never to the new element in its place.
    @Test func anElementAddedBeforeDoesNotReceiveTheUndo() throws {
        let original = "<img width=300 height=300 src=/m/a.jpg>\n"
        let (bytes, tags) = tags(original)
        let edits = ElementEditPlanner.dimensionEdits(
            tag: tags[0], element: 0, bytes: bytes, displayed: (200, 100), anchor: anchor(tags[0], bytes))
        var recorded: [String: ElementEditPlanner.Recorded] = [:]
        for edit in edits {
            recorded[edit.place] = .init(
                kind: edit.kind, originalValue: edit.originalValue, localValue: edit.localValue, anchor: edit.anchor)
        }
        let rewritten = try apply(edits.map(\.edit), bytes)
        #expect(rewritten == "<img width=300 height=150 src=/m/a.jpg>\n")
        // The author adds an image of the same declared size above it.
        let edited = Array(("<img width=300 height=150 src=/m/other.jpg>\n" + rewritten).utf8)
        let restores = ElementEditPlanner.restoreEdits(
            tags: scanner.imageElements(in: edited, isMarkdown: false), bytes: edited, recorded: recorded)
        #expect(restores.isEmpty)
    }
}
