import Foundation
import MirrorPosts
import TestSupport
import Testing

/// Every sample post: rewrite every reference to a local path, check nothing else moved,
/// rewrite again (no change), restore (byte-identical to the original).
struct SampleRoundTripTests {
    static let samples = Paths.shared.appendingPathComponent("samples")
    static let posts: [String] = {
        let files = FileManager.default.enumerator(atPath: samples.path)?.compactMap { $0 as? String } ?? []
        return files.filter { ["md", "markdown", "html", "htm"].contains(($0 as NSString).pathExtension) }.sorted()
    }()

    let scanner = ReferenceScanner(
        frontMatterKeys: [
            "headimg", "thumbnail", "cover", "banner", "image", "images", "photos", "feature_image", "og_image",
        ],
        resolver: ImageURLResolver(
            unwrapPrefixes: ["https://cors.zfour.workers.dev/?"], baseURL: "https://blog.example.net/",
            localPrefix: "/m/"))

    @Test func theCorpusIsThere() {
        #expect(Self.posts.count > 400)
    }

    @Test func rewriteRewriteAgainRestore() throws {
        var rewrittenPosts = 0
        for relative in Self.posts {
            let isMarkdown = ["md", "markdown"].contains((relative as NSString).pathExtension)
            let original = try [UInt8](Data(contentsOf: Self.samples.appendingPathComponent(relative)))
            let references = scanner.scan(original, isMarkdown: isMarkdown).references.filter { $0.target != nil }

            // One local path per distinct URL, as the engine does.
            var locals: [String: String] = [:]
            var edits: [PostEdit] = []
            var originals: [String: PostRestorer.Original] = [:]
            for reference in references {
                guard let target = reference.target else { continue }
                let local = locals[target.url] ?? "/m/\(locals.count).jpg"
                locals[target.url] = local
                guard let encoded = reference.encoding.encode(local) else {
                    Issue.record("\(relative): \(reference.place) cannot hold \(local)")
                    continue
                }
                edits.append(
                    PostEdit(
                        range: reference.valueRange, expected: Array(reference.rawValue.utf8),
                        replacement: Array(encoded.utf8)))
                originals[reference.place.description] = .init(localValue: encoded, originalValue: reference.rawValue)
            }
            let rewritten = try PostRewriter.apply(edits, to: original)
            if !edits.isEmpty { rewrittenPosts += 1 }

            // Outside the edited ranges, every byte is the same, in the same order.
            var cursor = 0
            var shift = 0
            for edit in Set(edits).sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
                let before = original[cursor..<edit.range.lowerBound]
                #expect(
                    rewritten[(cursor + shift)..<(edit.range.lowerBound + shift)].elementsEqual(before), "\(relative)")
                shift += edit.replacement.count - edit.range.count
                cursor = edit.range.upperBound
            }
            #expect(rewritten[(cursor + shift)...].elementsEqual(original[cursor...]), "\(relative)")

            // The rewritten post has nothing left to fetch: a second rewrite changes nothing.
            let rescan = scanner.scan(rewritten, isMarkdown: isMarkdown)
            #expect(rescan.references.allSatisfy { $0.target == nil }, "\(relative)")
            #expect(
                rescan.references.filter { $0.skipReason == .alreadyLocal }.count == references.count, "\(relative)")

            // Restore puts back the original bytes exactly.
            let restoreEdits = PostRestorer.edits(for: rescan.references, originals: originals)
            let restored = try PostRewriter.apply(restoreEdits, to: rewritten)
            #expect(restored == original, "\(relative)")
        }
        #expect(rewrittenPosts > 200)
    }

    @Test func restoreLeavesPlacesEditedSinceAlone() throws {
        let post = Array(#"<img src="http://a.test/x.jpg"><img src="http://a.test/y.jpg">"#.utf8)
        let references = scanner.scan(post, isMarkdown: false).references
        let edits = references.map {
            PostEdit(range: $0.valueRange, expected: Array($0.rawValue.utf8), replacement: Array("/m/1".utf8))
        }
        var rewritten = try PostRewriter.apply(edits, to: post)
        // The owner changes the second image by hand.
        var text = String(decoding: rewritten, as: UTF8.self)
        let second = try #require(text.range(of: #"src="/m/1">"#, options: .backwards))
        text.replaceSubrange(second, with: #"src="/mine.png">"#)
        rewritten = Array(text.utf8)
        let originals = Dictionary(
            uniqueKeysWithValues: references.map {
                ($0.place.description, PostRestorer.Original(localValue: "/m/1", originalValue: $0.rawValue))
            })
        let rescan = scanner.scan(rewritten, isMarkdown: false).references
        let restored = try PostRewriter.apply(PostRestorer.edits(for: rescan, originals: originals), to: rewritten)
        #expect(String(decoding: restored, as: UTF8.self) == #"<img src="http://a.test/x.jpg"><img src="/mine.png">"#)
    }
}
