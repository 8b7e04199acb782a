import Foundation
import MirrorPosts
import TestSupport
import Testing

/// The scanner against `../shared/tools/refcheck.py --extended` (Python's html.parser, PyYAML,
/// tomllib and regular expressions) on every post in `../shared/samples` and
/// `../shared/generator-samples`.
struct ReferenceOracleTests {
    struct Key: Hashable, Comparable, CustomStringConvertible {
        var post: String
        var where_: String
        var name: String
        var value: String
        var url: String?

        static func < (a: Key, b: Key) -> Bool { a.description < b.description }
        var description: String { "\(post) \(where_) \(name) \(value.debugDescription) → \(url ?? "nil")" }
    }

    static let unwrap = ["https://cors.zfour.workers.dev/?", "http://cors.zfour.workers.dev/?"]
    /// refcheck's default keys and its further top-level ones (the configuration's default).
    static let keys = [
        "headimg", "thumbnail", "cover", "banner", "image", "images", "photos", "feature_image", "og_image",
        "featured_image", "featuredImage", "featuredImagePreview", "cover_image", "header_image", "header-img",
        "heroImage", "hero_image", "social_image", "teaser",
    ]
    static let sampleFolders = ["samples", "generator-samples"]

    /// refcheck.py's standard output for these arguments.
    static func refcheck(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Paths.shared.appendingPathComponent("tools/refcheck.py").path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    /// What refcheck.py reports on one folder of `../shared`, as keys.
    static func oracle(_ folder: String) throws -> [Key] {
        let samples = Paths.shared.appendingPathComponent(folder)
        let data = try refcheck(["--extended", samples.path])
        return try data.split(separator: UInt8(ascii: "\n")).map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] ?? [:]
            let post = (object["post"] as? String ?? "").replacingOccurrences(of: samples.path + "/", with: "")
            return Key(
                post: post, where_: object["where"] as? String ?? "", name: object["name"] as? String ?? "",
                value: object["value"] as? String ?? "",
                url: (object["url"] as? String).map {
                    ImageURLResolver.percentEncoded($0.trimmingCharacters(in: .whitespaces))
                })
        }
    }

    /// What the scanner reports on one folder of `../shared`, as keys.
    static func ours(_ folder: String) throws -> [Key] {
        let samples = Paths.shared.appendingPathComponent(folder)
        let scanner = ReferenceScanner(
            frontMatterKeys: keys, resolver: ImageURLResolver(unwrapPrefixes: unwrap, baseURL: nil, localPrefix: ""))
        var result: [Key] = []
        let files = FileManager.default.enumerator(atPath: samples.path)?.compactMap { $0 as? String } ?? []
        for relative in files where ["md", "markdown", "html", "htm"].contains((relative as NSString).pathExtension) {
            let bytes = try [UInt8](Data(contentsOf: samples.appendingPathComponent(relative)))
            let isMarkdown = ["md", "markdown"].contains((relative as NSString).pathExtension)
            let scan = scanner.scan(bytes, isMarkdown: isMarkdown)
            for problem in scan.problems where problem.contains("not valid YAML") || problem.contains("not valid TOML")
            {
                let name = problem.contains("YAML") ? "!yaml-error" : "!toml-error"
                result.append(Key(post: relative, where_: "front-matter", name: name, value: "", url: nil))
            }
            for reference in scan.references {
                let (where_, name): (String, String)
                switch reference.place {
                case .frontMatter(let key, _): (where_, name) = ("front-matter", key)
                case .htmlAttribute(let tag, let attribute, _): (where_, name) = ("html", "\(tag)@\(attribute)")
                case .srcsetCandidate(let tag, let attribute, _, _): (where_, name) = ("html", "\(tag)@\(attribute)")
                case .markdownImage: (where_, name) = ("markdown", "image")
                case .markdownReference: (where_, name) = ("markdown", "image-ref")
                case .linkedAttribute(let tag, let attribute, _): (where_, name) = ("html", "\(tag)@\(attribute)")
                case .styleURL(_, let property, _, _): (where_, name) = ("html", "style@\(property)")
                case .markdownLink: (where_, name) = ("markdown", "link")
                case .templateArgument(let syntax, let call, let parameter, _, _):
                    (where_, name) = (syntax == .shortcode ? "shortcode" : "tag-plugin", "\(call)@\(parameter)")
                }
                result.append(
                    Key(post: relative, where_: where_, name: name, value: reference.value, url: reference.target?.url))
            }
        }
        return result
    }

    @Test(arguments: sampleFolders) func scannerAgreesWithRefcheckOnEverySample(folder: String) throws {
        let expected = try Self.oracle(folder)
        #expect(expected.count > (folder == "samples" ? 2500 : 400))
        let actual = try Self.ours(folder)
        let missing = Self.difference(expected, actual).filter { !Self.knownRefcheckMistake($0) }
        let extra = Self.difference(actual, expected).filter { !Self.knownRefcheckMistake($0) }
        #expect(
            missing.isEmpty,
            "refcheck finds, scanner does not:\n\(missing.sorted().prefix(30).map(\.description).joined(separator: "\n"))"
        )
        #expect(
            extra.isEmpty,
            "scanner finds, refcheck does not:\n\(extra.sorted().prefix(30).map(\.description).joined(separator: "\n"))"
        )
    }

    /// Multiset difference.
    static func difference(_ a: [Key], _ b: [Key]) -> [Key] {
        var counts: [Key: Int] = [:]
        for key in b { counts[key, default: 0] += 1 }
        var result: [Key] = []
        for key in a {
            if let count = counts[key], count > 0 { counts[key] = count - 1 } else { result.append(key) }
        }
        return result
    }

    /// Cases where refcheck is wrong, each proved by a test below.
    static func knownRefcheckMistake(_ key: Key) -> Bool {
        // `<img>` examples inside fenced code: see refcheckReadsImagesInsideFencedCode.
        key.post == "hexojs__site/source/docs/tag-plugins.md" && key.where_ == "html" && key.name == "img@src"
            && key.value == "/2020/01/02/hello/foo.jpg"
    }

    /// refcheck's classic HTML pass reads the raw body, so an `<img>` shown as an example in a
    /// fenced code block counts as an image of the post (its own further places blank code out).
    /// The scanner leaves code alone: a reader sees the example's text, not an image, and
    /// rewriting it would change the documentation.
    @Test func refcheckReadsImagesInsideFencedCode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let post = directory.url.appendingPathComponent("example.md")
        try Data("Text\n\n```html\n<img src=\"https://example.com/a.jpg\" />\n```\n".utf8).write(to: post)
        let data = try Self.refcheck([post.path])
        #expect(String(decoding: data, as: UTF8.self).contains("\"img@src\""))
        let scanner = ReferenceScanner(
            frontMatterKeys: Self.keys, resolver: ImageURLResolver(unwrapPrefixes: [], baseURL: nil, localPrefix: ""))
        #expect(scanner.scan(try [UInt8](Data(contentsOf: post)), isMarkdown: true).references.isEmpty)
    }
}
