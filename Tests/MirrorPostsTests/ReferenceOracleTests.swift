import Foundation
import MirrorPosts
import TestSupport
import Testing

/// The scanner against `../shared/tools/refcheck.py` (Python's html.parser, PyYAML and a
/// Markdown pass) on every post in `../shared/samples`.
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
    static let keys = [
        "headimg", "thumbnail", "cover", "banner", "image", "images", "photos", "feature_image", "og_image",
    ]
    static let samples = Paths.shared.appendingPathComponent("samples")

    /// What refcheck.py reports, as keys.
    static func oracle() throws -> [Key] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Paths.shared.appendingPathComponent("tools/refcheck.py").path, samples.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
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

    /// What the scanner reports, as keys.
    static func ours() throws -> [Key] {
        let scanner = ReferenceScanner(
            frontMatterKeys: keys, resolver: ImageURLResolver(unwrapPrefixes: unwrap, baseURL: nil, localPrefix: ""))
        var result: [Key] = []
        let files = FileManager.default.enumerator(atPath: samples.path)?.compactMap { $0 as? String } ?? []
        for relative in files where ["md", "markdown", "html", "htm"].contains((relative as NSString).pathExtension) {
            let bytes = try [UInt8](Data(contentsOf: samples.appendingPathComponent(relative)))
            let isMarkdown = ["md", "markdown"].contains((relative as NSString).pathExtension)
            let scan = scanner.scan(bytes, isMarkdown: isMarkdown)
            for problem in scan.problems where problem.contains("not valid YAML") {
                result.append(Key(post: relative, where_: "front-matter", name: "!yaml-error", value: "", url: nil))
            }
            for reference in scan.references {
                let (where_, name): (String, String)
                switch reference.place {
                case .frontMatter(let key, _): (where_, name) = ("front-matter", key)
                case .htmlAttribute(let tag, let attribute, _): (where_, name) = ("html", "\(tag)@\(attribute)")
                case .srcsetCandidate(let tag, let attribute, _, _): (where_, name) = ("html", "\(tag)@\(attribute)")
                case .markdownImage: (where_, name) = ("markdown", "image")
                case .markdownReference: (where_, name) = ("markdown", "image-ref")
                }
                result.append(
                    Key(post: relative, where_: where_, name: name, value: reference.value, url: reference.target?.url))
            }
        }
        return result
    }

    @Test func scannerAgreesWithRefcheckOnEverySample() throws {
        let expected = try Self.oracle()
        #expect(expected.count > 1500)
        let actual = try Self.ours()
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
        false
    }
}
