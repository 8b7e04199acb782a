import Foundation
import TestSupport

/// Rows of `../shared/images/MANIFEST.tsv`: what Pillow says of each file.
struct ImageCorpus {
    struct Entry: Sendable, CustomStringConvertible {
        var path: String
        var format: String
        var width: Int?
        var height: Int?
        var frames: Int?
        var orientation: Int?
        var decodes: Bool

        var url: URL { Paths.shared.appendingPathComponent("images").appendingPathComponent(path) }
        var description: String { path }
    }

    static let entries: [Entry] = {
        let manifest = Paths.shared.appendingPathComponent("images/MANIFEST.tsv")
        guard let text = try? String(contentsOf: manifest, encoding: .utf8) else { return [] }
        var rows = text.split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        guard let header = rows.first else { return [] }
        rows.removeFirst()
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let path = column("path"), let format = column("format"), let width = column("width"),
            let height = column("height"), let frames = column("frames"), let orientation = column("exif_orientation"),
            let decode = column("decode")
        else { return [] }
        return rows.compactMap { row in
            guard row.count == header.count else { return nil }
            return Entry(
                path: row[path], format: row[format], width: Int(row[width]), height: Int(row[height]),
                frames: Int(row[frames]), orientation: Int(row[orientation]), decodes: row[decode] == "ok")
        }
    }()

    /// Files Pillow opens, outside the malformed set.
    static var wellFormed: [Entry] {
        entries.filter { !$0.path.hasPrefix("malformed/") && $0.decodes && $0.width != nil }
    }

    static var malformed: [Entry] {
        entries.filter { $0.path.hasPrefix("malformed/") }
    }
}
