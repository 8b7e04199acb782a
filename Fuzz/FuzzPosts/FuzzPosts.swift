import CFuzz
import Foundation
import MirrorPosts

/// libFuzzer entry point: the whole post pipeline on arbitrary bytes. Every reference must
/// point inside the input and hold exactly its raw value; rewriting every fetchable reference
/// and scanning again must find nothing left to fetch; restoring must give the input back.
@main
enum FuzzPostsEntry {
    static func main() {
        var count = CommandLine.argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(
            LLVMFuzzerRunDriver(&count, &arguments) { data, size in
                guard let data else { return 0 }
                return fuzzPosts(Array(UnsafeBufferPointer(start: data, count: size)))
            })
    }
}

/// libFuzzer's runtime references this symbol even when its driver is given the callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    return fuzzPosts(Array(UnsafeBufferPointer(start: data, count: size)))
}

/// FUZZ_PART narrows a run to one part: `tokenizer`, `frontmatter`, `url`; `templates`,
/// `toml` and `style` run the whole pipeline on the input put inside a shortcode and a tag,
/// TOML front matter, or a style attribute and a link; anything else (or nothing) runs the
/// whole pipeline on the input as it is.
let part = ProcessInfo.processInfo.environment["FUZZ_PART"] ?? "pipeline"

func fuzzPosts(_ bytes: [UInt8]) -> Int32 {
    switch part {
    case "tokenizer":
        for tag in HTMLTokenizer.startTags(in: bytes) {
            precondition(tag.range.lowerBound >= 0 && tag.range.upperBound <= bytes.count)
            for attribute in tag.attributes {
                if let range = attribute.valueRange {
                    precondition(range.lowerBound >= tag.range.lowerBound && range.upperBound <= tag.range.upperBound)
                }
            }
        }
        return 0
    case "frontmatter":
        if let frontMatter = FrontMatter.locate(in: bytes) {
            precondition(frontMatter.blockRange.upperBound <= bytes.count)
            precondition(frontMatter.blockRange.lowerBound <= frontMatter.yamlRange.lowerBound)
            precondition(frontMatter.yamlRange.upperBound <= frontMatter.blockRange.upperBound)
            // Simple front matter read directly gives what composing it with Yams gives.
            var scanner = ReferenceScanner(
                frontMatterKeys: ["headimg", "thumbnail", "images", "cover"],
                resolver: ImageURLResolver(unwrapPrefixes: [], baseURL: nil, localPrefix: "/m/"))
            let direct = scanner.scan(bytes, isMarkdown: false)
            scanner.readsSimpleFrontMatterDirectly = false
            let composed = scanner.scan(bytes, isMarkdown: false)
            precondition(direct.references == composed.references, "direct and composed front matter differ")
            precondition(direct.problems == composed.problems, "direct and composed front matter problems differ")
        }
        return 0
    case "url":
        let resolver = ImageURLResolver(
            unwrapPrefixes: ["https://cors.zfour.workers.dev/?", "https://wsrv.nl/?url="],
            baseURL: "https://blog.example.net/a/", localPrefix: "/m/")
        let value = String(decoding: bytes, as: UTF8.self)
        _ = resolver.resolve(value)
        _ = ImageURLResolver.percentEncoded(value)
        return 0
    case "templates":
        return pipeline(Array("{{< ".utf8) + bytes + Array(" >}}\n{% ".utf8) + bytes + Array(" %}\n".utf8))
    case "toml":
        _ = TOMLDocument.topLevelStrings(bytes)
        return pipeline(Array("+++\n".utf8) + bytes + Array("\n+++\nText\n".utf8))
    case "style":
        return pipeline(Array("<p style=\"".utf8) + bytes + Array("\"><a href='".utf8) + bytes + Array("'>".utf8))
    default:
        return pipeline(bytes)
    }
}

/// Scan, rewrite every fetchable reference, scan again, restore: the input must come back.
func pipeline(_ bytes: [UInt8]) -> Int32 {
    _ = FrontMatter.locate(in: bytes)
    _ = HTMLTokenizer.startTags(in: bytes)
    let scanner = ReferenceScanner(
        frontMatterKeys: ["headimg", "thumbnail", "images", "cover", "featured_image"],
        resolver: ImageURLResolver(
            unwrapPrefixes: ["https://cors.zfour.workers.dev/?"], baseURL: "https://blog.example.net/a/",
            localPrefix: "/m/"))
    for isMarkdown in [true, false] {
        let references = scanner.scan(bytes, isMarkdown: isMarkdown).references
        // The manifest keys original values by place: two places must never share a name.
        precondition(Set(references.map(\.place.description)).count == references.count, "two places share a name")
        var edits: [PostEdit] = []
        var originals: [String: PostRestorer.Original] = [:]
        for reference in references {
            precondition(reference.valueRange.lowerBound >= 0 && reference.valueRange.upperBound <= bytes.count)
            precondition(String(decoding: bytes[reference.valueRange], as: UTF8.self) == reference.rawValue)
            guard reference.target != nil, let encoded = reference.encoding.encode("/m/x.jpg") else { continue }
            edits.append(
                PostEdit(
                    range: reference.valueRange, expected: Array(reference.rawValue.utf8),
                    replacement: Array(encoded.utf8)))
            originals[reference.place.description] = .init(localValue: encoded, originalValue: reference.rawValue)
        }
        let rewritten: [UInt8]
        do {
            rewritten = try PostRewriter.apply(edits, to: bytes)
        } catch {
            // Overlapping edits would mean two references claim the same bytes differently.
            let places = references.map { "\($0.place) \($0.valueRange)" }.joined(separator: "; ")
            preconditionFailure("edits from one scan conflict (\(error)): \(places)")
        }
        let rescan = scanner.scan(rewritten, isMarkdown: isMarkdown).references
        let restore = PostRestorer.edits(for: rescan, originals: originals)
        if let restored = try? PostRewriter.apply(restore, to: rewritten), edits.isEmpty {
            precondition(restored == bytes)
        }
        checkElementEdits(bytes, scanner: scanner, isMarkdown: isMarkdown)
    }
    return 0
}

/// Declared-size corrections and provenance attributes on every element: they apply without
/// conflict, keep the elements as they were, and their recorded edits undo them exactly.
func checkElementEdits(_ bytes: [UInt8], scanner: ReferenceScanner, isMarkdown: Bool) {
    let tags = scanner.imageElements(in: bytes, isMarkdown: isMarkdown)
    var edits: [ElementEdit] = []
    let sizeNames = Set(ReferenceScanner.sizeAttributes.flatMap { [$0.0, $0.1] })
    for (element, tag) in tags.enumerated() {
        // The anchor: an attribute these edits leave alone, with its raw value.
        guard
            let anchorAttribute = tag.attributes.first(where: {
                $0.valueRange != nil && !sizeNames.contains($0.name) && $0.name != "data-mm"
            }), let range = anchorAttribute.valueRange
        else { continue }
        let anchor = ElementAnchor(
            attribute: anchorAttribute.name, value: String(decoding: bytes[range], as: UTF8.self))
        guard anchor.value.utf8.elementsEqual(bytes[range]) else { continue }
        edits += ElementEditPlanner.dimensionEdits(
            tag: tag, element: element, bytes: bytes, displayed: (7, 3), anchor: anchor)
        if let edit = ElementEditPlanner.provenanceEdit(
            tag: tag, element: element, attribute: "data-mm", value: "http://o/?a=\"\(element)\"&b", anchor: anchor)
        {
            edits.append(edit)
        }
    }
    let rewritten: [UInt8]
    do {
        rewritten = try PostRewriter.apply(edits.map(\.edit), to: bytes)
    } catch {
        preconditionFailure("element edits conflict: \(error)")
    }
    let again = scanner.imageElements(in: rewritten, isMarkdown: isMarkdown)
    precondition(again.count == tags.count, "element edits changed the elements")
    var recorded: [String: ElementEditPlanner.Recorded] = [:]
    for edit in edits {
        recorded[edit.place] = .init(
            kind: edit.kind, originalValue: edit.originalValue, localValue: edit.localValue, anchor: edit.anchor)
    }
    let restores = ElementEditPlanner.restoreEdits(tags: again, bytes: rewritten, recorded: recorded)
    precondition(restores.count == edits.count, "not every element edit can be undone")
    guard let restored = try? PostRewriter.apply(restores.map(\.edit), to: rewritten) else {
        preconditionFailure("restore edits conflict")
    }
    precondition(restored == bytes, "element edits did not undo exactly")
}
