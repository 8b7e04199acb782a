import Foundation
import MirrorPosts

/// Scans every post of a corpus directory `copies` times in one process and reports the bytes
/// scanned and the seconds spent, so the driver can compute MB/s without process start-up.
enum ScanBenchmark {
    static let scanner = ReferenceScanner(
        frontMatterKeys: [
            "headimg", "thumbnail", "cover", "banner", "image", "images", "photos", "feature_image", "og_image",
        ],
        resolver: ImageURLResolver(
            unwrapPrefixes: ["https://cors.zfour.workers.dev/?"], baseURL: nil, localPrefix: "/images/mirror"))

    static func posts(in corpus: String) throws -> [(bytes: [UInt8], markdown: Bool)] {
        let files = FileManager.default.enumerator(atPath: corpus)?.compactMap { $0 as? String } ?? []
        var posts: [(bytes: [UInt8], markdown: Bool)] = []
        for relative in files.sorted() {
            let ext = (relative as NSString).pathExtension.lowercased()
            guard ["md", "markdown", "html", "htm"].contains(ext) else { continue }
            let data = try Data(contentsOf: URL(fileURLWithPath: corpus).appendingPathComponent(relative))
            posts.append(([UInt8](data), ext == "md" || ext == "markdown"))
        }
        return posts
    }

    /// Distinct fetchable URLs, in first-seen order.
    static func urls(corpus: String) throws -> [String] {
        var seen: Set<String> = []
        var ordered: [String] = []
        for post in try posts(in: corpus) {
            for reference in scanner.scan(post.bytes, isMarkdown: post.markdown).references {
                if let url = reference.target?.url, seen.insert(url).inserted { ordered.append(url) }
            }
        }
        return ordered
    }

    static func run(corpus: String, copies: Int) throws -> (bytes: Int, seconds: Double, references: Int) {
        let posts = try posts(in: corpus)
        var bytes = 0
        var references = 0
        let start = ContinuousClock.now
        for _ in 0..<copies {
            for post in posts {
                references += scanner.scan(post.bytes, isMarkdown: post.markdown).references.count
                bytes += post.bytes.count
            }
        }
        let elapsed = (ContinuousClock.now - start).components
        return (bytes, Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18, references)
    }
}
