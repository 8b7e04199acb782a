import Foundation
import TestSupport
import Testing

@testable import MirrorPosts

/// The direct reading of simple front matter gives exactly what composing with Yams gives.
struct SimpleFrontMatterTests {
    static let keys = FrontMatterKeys(
        ["headimg", "thumbnail", "cover", "banner", "image", "images", "photos", "feature_image", "og_image"])

    /// Both readings of one post's front matter, as text to compare.
    static func readings(_ bytes: [UInt8]) -> (direct: String, composed: String)? {
        guard let frontMatter = FrontMatter.locate(in: bytes) else { return nil }
        var scanner = FrontMatterScanner(keys: keys)
        let direct = scanner.scan(bytes, frontMatter: frontMatter)
        scanner.readsSimpleFrontMatterDirectly = false
        let composed = scanner.scan(bytes, frontMatter: frontMatter)
        func text(_ found: (values: [FrontMatterValue], problems: [String])) -> String {
            found.values.map { "\($0.key) \(String(describing: $0.index)) \($0.value) \($0.range) \($0.encoding)" }
                .joined(separator: "\n") + "\n" + found.problems.joined(separator: "\n")
        }
        return (text(direct), text(composed))
    }

    @Test(arguments: ["samples", "generator-samples"]) func agreesWithYamsOnEverySample(folder: String) throws {
        let root = Paths.shared.appendingPathComponent(folder)
        var compared = 0
        var direct = 0
        for relative in FileManager.default.subpaths(atPath: root.path) ?? [] where relative.hasSuffix(".md") {
            let bytes = try [UInt8](Data(contentsOf: root.appendingPathComponent(relative)))
            guard let (fast, slow) = Self.readings(bytes) else { continue }
            compared += 1
            if let frontMatter = FrontMatter.locate(in: bytes),
                SimpleFrontMatter.read(bytes, frontMatter.yamlRange, firstLine: 1, imageKeys: Self.keys.nestedParents)
                    != nil
            {
                direct += 1
            }
            #expect(fast == slow, "\(relative)")
        }
        #expect(compared > 50)
        print("\(folder): \(compared) front matters compared, \(direct) read directly")
    }

    @Test(arguments: [
        "title: 'It''s'\nheadimg: 'http://a.example/x''y.jpg'\n",
        "headimg: \"http://a.example/x.jpg\"\nthumbnail: http://a.example/t.jpg   \n",
        "images:\n- http://a.example/1.jpg\n-\n- 'http://a.example/3.jpg'\ntags: [a, b]\n",
        "images:\n  - http://a.example/1.jpg\n  # a comment\n  - ~\nthumbnail:\ncover: null\n",
        "headimg: http://a.example/x.jpg # a comment\n",
        "headimg: http://a.example/x.jpg\nheadimg: http://a.example/y.jpg\n",
        "headimg: >\n  http://a.example/x.jpg\n",
        "headimg: http://a.example/x.jpg\n  continued\n",
        "cover:\n  image: http://a.example/c.jpg\n",
        "headimg: \"http://a.example/\\x41.jpg\"\n",
        "excerpt: <p><img src=\"http://a.example/e.jpg\"></p>\nheadimg: -5\n",
        "headimg:\thttp://a.example/x.jpg\n",
        "headimg: http://a.example/x.jpg\r\n",
        "date: Thu, 24 Feb 2022 00:00:00 GMT\nheadimg: a: b\n",
        "tags: [kubernetes, cost, C++]\nheadimg: http://a.example/x.jpg\n",
        "tags: [a, [b]]\nheadimg: http://a.example/x.jpg\n",
        "images: [http://a.example/1.jpg, http://a.example/2.jpg]\n",
        "tags: [- a]\nheadimg: http://a.example/x.jpg\n",
        "tags: [ \"cloud\", \"AWS\" ]\nheadimg: http://a.example/x.jpg\n",
        "tags: ['it''s', \"a#b, c\", plain words, 'a''']\nheadimg: http://a.example/x.jpg\n",
        "tags: [a,]\nheadimg: http://a.example/x.jpg\n",
        "tags: [,]\nheadimg: http://a.example/x.jpg\n",
        "tags: [a,,b]\nheadimg: http://a.example/x.jpg\n",
        "tags: [\"a\" \"b\"]\nheadimg: http://a.example/x.jpg\n",
        "tags: [\"a\": b]\nheadimg: http://a.example/x.jpg\n",
        "tags: [\"a\\\"b\"]\nheadimg: http://a.example/x.jpg\n",
        "tags: [\"unterminated]\nheadimg: http://a.example/x.jpg\n",
        "tags: ['a'b]\nheadimg: http://a.example/x.jpg\n",
        "tags: [ ]\ncategories: []\nheadimg: http://a.example/x.jpg\n",
        "images: [\"http://a.example/1.jpg\"]\n",
        "title: Instalando a\n  ferramenta kubecost\nheadimg: http://a.example/x.jpg\n",
        "excerpt: \n  <img class=\"\" width=\"100%\" \n  data-original=\"https://a.example/e.png\"></br> text\ntags:\n  - a\n",
        "title: a\n\n  b\n   c # d\n",
        "title: a\n# comment\n  b\n",
        "title: a\n  b: c\n",
        "title: a\n  - b\n",
        "title: a\n  b:\n",
        "title:\n  \"quoted\"\n  more\n",
        "title:\n  'quoted'\nheadimg: http://a.example/x.jpg\n",
        "headimg: http://a.example/x.jpg\n  continued.jpg\n",
        "headimg:\n  http://a.example/x.jpg\n",
        "tags:\n  - a\n    b\n",
        "title: [a, b]\n  c\n",
        "title: a\n  <img src=\"http://a.example/i.jpg\">\ncover: x\n",
        "title: a\n ---\n",
    ])
    func agreesWithYamsOnEdgeCases(_ yaml: String) throws {
        let bytes = Array(("---\n" + yaml + "---\nText\n").utf8)
        let (fast, slow) = try #require(Self.readings(bytes))
        #expect(fast == slow, "\(yaml)")
    }

    /// The shapes most non-trivial sample front matters have are read without Yams.
    @Test(arguments: [
        "tags: [ \"cloud\", \"AWS\" ]\nheadimg: http://a.example/x.jpg\n",
        "title: Instalando a\n  ferramenta kubecost\nheadimg: http://a.example/x.jpg\n",
        "excerpt: \n  <img class=\"\" width=\"100%\" \n  data-original=\"https://a.example/e.png\">\ntags:\n  - a\n",
    ])
    func readsCommonShapesDirectly(_ yaml: String) {
        let bytes = Array(("---\n" + yaml + "---\nText\n").utf8)
        guard let frontMatter = FrontMatter.locate(in: bytes) else {
            Issue.record("no front matter")
            return
        }
        #expect(
            SimpleFrontMatter.read(bytes, frontMatter.yamlRange, firstLine: 2, imageKeys: Self.keys.nestedParents)
                != nil)
    }
}
