import Crypto
import Foundation
import GRDB
import MirrorPosts
import TestSupport

/// What must hold of a site after any sequence of syncs, however they ended: each post is its
/// original or a valid rewrite of it, every local reference names a stored file whose bytes
/// match its name, the manifest is sound.
enum PostInvariants {
    struct Violation: CustomStringConvertible {
        var post: String
        var reason: String
        var description: String { "\(post): \(reason)" }
    }

    struct Outcome {
        var violations: [Violation] = []
        var postsRewritten = 0
        var localReferencesChecked = 0
    }

    static func check(_ site: CorpusSite) throws -> Outcome {
        var outcome = Outcome()
        var violations: [Violation] = []
        var hashes: [String: String] = [:]
        for (relative, original) in site.originals {
            let now = try Data(contentsOf: site.posts.appendingPathComponent(relative))
            if now == original { continue }
            outcome.postsRewritten += 1
            let isMarkdown = CorpusSite.isMarkdown(relative)
            let before = CorpusSite.scanner.scan([UInt8](original), isMarkdown: isMarkdown)
            let after = CorpusSite.scanner.scan([UInt8](now), isMarkdown: isMarkdown)
            // A rewrite changes URL values only: the same places, the same problems.
            if after.references.map(\.place) != before.references.map(\.place) {
                violations.append(Violation(post: relative, reason: "its references are not the original's"))
            }
            if after.problems.count > before.problems.count {
                violations.append(Violation(post: relative, reason: "new scan problems: \(after.problems)"))
            }
            for reference in after.references where reference.value.hasPrefix("/images/mirror/") {
                outcome.localReferencesChecked += 1
                let stored = String(reference.value.dropFirst("/images/mirror/".count))
                let file = site.media.appendingPathComponent(stored)
                guard let bytes = FileManager.default.contents(atPath: file.path) else {
                    violations.append(Violation(post: relative, reason: "\(reference.value) is not stored"))
                    continue
                }
                let name = (stored as NSString).lastPathComponent
                let stem = (name as NSString).deletingPathExtension
                // Originals are named by their hash; thumbnails by the original's hash and width.
                guard !stem.contains("-") else { continue }
                let digest =
                    hashes[stored] ?? SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                hashes[stored] = digest
                if digest != stem {
                    violations.append(Violation(post: relative, reason: "\(stored) holds bytes hashing to \(digest)"))
                }
            }
        }
        let integrity = try DatabaseQueue(path: site.database.path).read { db in
            try String.fetchOne(db, sql: "PRAGMA integrity_check")
        }
        if integrity != "ok" {
            violations.append(Violation(post: "manifest", reason: "integrity_check: \(integrity ?? "no answer")"))
        }
        outcome.violations = violations
        return outcome
    }
}
