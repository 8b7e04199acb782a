import Foundation
import Logging
import MirrorConfig
import MirrorPosts
import MirrorStore

/// Puts the original values back into rewritten posts. A place edited by someone since the
/// rewrite keeps its new value; on an unedited post the result is byte-identical to the file
/// before its first rewrite.
public struct Restorer: EngineJob {
    public let context: EngineContext

    public init(_ context: EngineContext) {
        self.context = context
    }

    /// Restores the given posts (paths relative to the posts directory or absolute), or every
    /// post the manifest knows when `paths` is empty.
    public func restore(paths: [String]) throws -> Outcome {
        let manifest = try configuration.openManifest()
        let writerLock = try configuration.lockWriters(purpose: "restore")
        defer { withExtendedLifetime(writerLock) {} }
        let postsRoot = (configuration.site.posts as NSString).standardizingPath
        let relatives = paths.isEmpty ? try manifest.allPosts().map(\.path) : Self.relative(paths, to: postsRoot)
        let scanner = ReferenceScanner(configuration: configuration)
        var outcome = Outcome()
        for relative in relatives {
            try restore(relative, root: postsRoot, manifest: manifest, scanner: scanner, into: &outcome)
        }
        return outcome
    }

    /// The paths as the manifest names posts: relative to the posts directory.
    static func relative(_ paths: [String], to postsRoot: String) -> [String] {
        paths.map { path in
            let absolute =
                path.hasPrefix("/")
                ? (path as NSString).standardizingPath
                : ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path) as NSString)
                    .standardizingPath
            return absolute.hasPrefix(postsRoot + "/") ? String(absolute.dropFirst(postsRoot.count + 1)) : path
        }
    }

    private func restore(
        _ relative: String, root postsRoot: String, manifest: Manifest, scanner: ReferenceScanner,
        into outcome: inout Outcome
    ) throws {
        let path = (postsRoot as NSString).appendingPathComponent(relative)
        let allRecords = try manifest.references(ofPost: relative)
        let records = allRecords.filter { $0.localValue != nil }
        let elementRecords = try manifest.elementEdits(ofPost: relative)
        guard !records.isEmpty || !elementRecords.isEmpty else {
            outcome.postsUnchanged += 1
            return
        }
        guard let data = FileBytes.read(path) else {
            outcome.problems.append(SyncProblem(subject: relative, kind: .restore, message: "cannot be read"))
            return
        }
        let bytes = [UInt8](data)
        let scan = scanner.scan(bytes, isMarkdown: PostFinder.isMarkdown(relative))
        var originals: [String: PostRestorer.Original] = [:]
        for record in records {
            guard let local = record.localValue else { continue }
            originals[record.place] = PostRestorer.Original(localValue: local, originalValue: record.originalValue)
        }
        var edits = PostRestorer.edits(for: scan.references, originals: originals)
        let restoredPlaces = scan.references.filter { reference in
            edits.contains { $0.range == reference.valueRange }
        }.map(\.place.description)
        let elementRestores = Self.elementRestores(
            elementRecords, bytes: bytes, isMarkdown: PostFinder.isMarkdown(relative), scanner: scanner)
        edits += elementRestores.map(\.edit)
        do {
            var final = bytes
            if !edits.isEmpty {
                final = try PostRewriter.apply(edits, to: bytes)
                // An editor saving meanwhile keeps their save; the post is restored next time.
                guard try AtomicFile.replace(path, with: final, ifStill: bytes) else {
                    outcome.problems.append(
                        SyncProblem(
                            subject: relative, kind: .restore,
                            message: "changed while it was being restored; left as it is, run restore again"))
                    return
                }
                outcome.postsRestored += 1
                outcome.referencesRestored += Set(edits.map(\.range)).count - elementRestores.count
            } else {
                outcome.postsUnchanged += 1
            }
            let record = try PostRecord.describing(
                relativePath: relative, path: path, bytes: final,
                pending: allRecords.count - (records.count - Set(restoredPlaces).count))
            try manifest.markRestored(post: record, places: restoredPlaces, elementPlaces: elementRestores.map(\.place))
            let skipped = records.count - restoredPlaces.count + elementRecords.count - elementRestores.count
            if skipped > 0 {
                outcome.problems.append(
                    SyncProblem(
                        subject: relative, kind: .restore,
                        message: "\(skipped) place(s) changed since they were rewritten; left as they are"))
            }
        } catch {
            outcome.problems.append(SyncProblem(subject: relative, kind: .restore, message: "\(error)"))
        }
    }

    /// The edits that undo recorded element edits whose anchors are still in place.
    private static func elementRestores(
        _ records: [ElementEditRecord], bytes: [UInt8], isMarkdown: Bool, scanner: ReferenceScanner
    ) -> [(place: String, edit: PostEdit)] {
        var recorded: [String: ElementEditPlanner.Recorded] = [:]
        for record in records {
            guard let kind = ElementEdit.Kind(rawValue: record.kind) else { continue }
            recorded[record.place] = ElementEditPlanner.Recorded(
                kind: kind, originalValue: record.originalValue, localValue: record.localValue,
                anchor: ElementAnchor(attribute: record.anchorAttribute, value: record.anchorValue))
        }
        guard !recorded.isEmpty else { return [] }
        return ElementEditPlanner.restoreEdits(
            tags: scanner.imageElements(in: bytes, isMarkdown: isMarkdown), bytes: bytes, recorded: recorded)
    }
}
