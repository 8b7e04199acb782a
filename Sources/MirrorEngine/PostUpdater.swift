import Foundation
import Logging
import MirrorConfig
import MirrorPosts
import MirrorStore

/// Rewrites one post to its local copies and records its references. The post is re-read just
/// before writing: if anyone changed it since the scan, it is scanned again and the new text is
/// rewritten (their edit kept); references to URLs not fetched yet wait for the next run.
struct PostUpdater: Sendable {
    /// Nil in a dry run without a manifest: nothing is recorded then.
    let manifest: Manifest?
    let scanner: ReferenceScanner
    let urlPrefix: String
    /// `rewrite.variants`: places that point at a thumbnail instead of the original.
    var variants: [RewriteVariant] = []
    /// `rewrite.fix_dimensions`: correct declared sizes of another aspect ratio than the image.
    var fixDimensions = false
    /// `rewrite.provenance_attribute`: the attribute recording the URL an element showed before.
    var provenanceAttribute: String?
    let dryRun: Bool
    let logger: Logger
    /// Rescans allowed when a post keeps changing under us.
    static let maximumRescans = 3

    struct Outcome {
        var references = 0
        var mirrored = 0
        var failed = 0
        var pending = 0
        var skipped = 0
        var rewritten = false
        var rescans = 0
        var problems: [SyncProblem] = []
        /// The unified diff of the rewrite, in a dry run.
        var diff: String?
    }

    var localPlaceholder: String {
        (urlPrefix.hasSuffix("/") ? String(urlPrefix.dropLast()) : urlPrefix) + "/(not-downloaded-yet)"
    }

    func localValue(for asset: AssetRecord, place: ReferencePlace? = nil) -> String {
        let prefix = urlPrefix.hasSuffix("/") ? String(urlPrefix.dropLast()) : urlPrefix
        if let place, let width = variantWidth(for: place),
            let thumbnail = (try? manifest?.thumbnails(of: asset.sha256))?.first(where: { $0.width == width })
        {
            return prefix + "/" + thumbnail.path
        }
        return prefix + "/" + asset.path
    }

    /// The thumbnail width the first matching `rewrite.variants` rule asks for, if any.
    private func variantWidth(for place: ReferencePlace) -> Int? {
        guard !variants.isEmpty else { return nil }
        var key: String?
        var attribute: String?
        var isMarkdown = false
        switch place {
        case .frontMatter(let name, _): key = name
        case .htmlAttribute(_, let name, _), .srcsetCandidate(_, let name, _, _): attribute = name
        case .markdownImage, .markdownReference: isMarkdown = true
        }
        return variants.first { $0.applies(toFrontMatterKey: key, attribute: attribute, isMarkdown: isMarkdown) }?.width
    }

    func update(_ post: ScannedPost, settled: [String: SettledURL], rescans: Int = 0) -> Outcome {
        var outcome = Outcome()
        outcome.rescans = rescans
        var edits: [PostEdit] = []
        var records: [ReferenceRecord] = []
        for reference in post.references {
            guard let target = reference.target else {
                if reference.skipReason == "already local" {
                    outcome.references += 1
                    outcome.mirrored += 1
                } else {
                    outcome.skipped += 1
                }
                continue
            }
            outcome.references += 1
            var record = ReferenceRecord(
                post: post.relativePath, place: reference.place.description, kind: reference.place.kind,
                line: reference.line,
                originalValue: reference.rawValue, url: target.url, localValue: nil, asset: nil,
                declaredWidth: reference.declaredSize?.width, declaredHeight: reference.declaredSize?.height,
                verdict: nil)
            switch settled[target.url] {
            case .mirrored(let asset, _, _, _)?:
                record.asset = asset.sha256
                record.verdict =
                    DimensionVerdict.classify(
                        declared: reference.declaredSize.map { ($0.width, $0.height) },
                        actual: (asset.displayedWidth, asset.displayedHeight)
                    ).rawValue
                let local = localValue(for: asset, place: reference.place)
                guard let encoded = reference.encoding.encode(local) else {
                    outcome.failed += 1
                    outcome.problems.append(
                        SyncProblem(
                            subject: post.relativePath, kind: "rewrite",
                            message:
                                "line \(reference.line) \(reference.place): '\(local)' cannot be written in this syntax"
                        ))
                    break
                }
                record.localValue = encoded
                outcome.mirrored += 1
                edits.append(
                    PostEdit(
                        range: reference.valueRange, expected: Array(reference.rawValue.utf8),
                        replacement: Array(encoded.utf8)))
            case .failed?, .deferred?:
                outcome.failed += 1
            case nil:
                // Not fetched in this run (a dry run, or a URL that appeared in a rescan). A dry
                // run still shows where it would go, with a placeholder for the unknown hash.
                outcome.pending += 1
                if dryRun, let placeholder = reference.encoding.encode(localPlaceholder) {
                    edits.append(
                        PostEdit(
                            range: reference.valueRange, expected: Array(reference.rawValue.utf8),
                            replacement: Array(placeholder.utf8)))
                }
            }
            records.append(record)
        }
        var rewritten: [String: String] = [:]
        for record in records { if let local = record.localValue { rewritten[record.place] = local } }
        let elementEdits = elementEdits(for: post, settled: settled, rewritten: rewritten)
        edits += elementEdits.map(\.edit)
        let elementRecords = elementEdits.map {
            ElementEditRecord(
                post: post.relativePath, place: $0.place, kind: $0.kind.rawValue, originalValue: $0.originalValue,
                localValue: $0.localValue, anchorAttribute: $0.anchor.attribute, anchorValue: $0.anchor.value)
        }
        guard !dryRun else {
            outcome.rewritten = !edits.isEmpty
            if !edits.isEmpty, let rewritten = try? PostRewriter.apply(edits, to: post.bytes) {
                outcome.diff = UnifiedDiff.make(path: post.relativePath, old: post.bytes, new: rewritten)
            }
            return outcome
        }
        var finalBytes = post.bytes
        if !edits.isEmpty {
            // Write-ahead: the manifest learns each place's original and local values before
            // the post changes, so restore works whenever the process dies.
            do {
                try manifest?.saveReferences(records, elementEdits: elementRecords, post: nil)
            } catch {
                outcome.mirrored -= edits.count - elementEdits.count
                outcome.failed += edits.count - elementEdits.count
                outcome.problems.append(SyncProblem(subject: post.relativePath, kind: "manifest", message: "\(error)"))
                return outcome
            }
            do {
                finalBytes = try write(edits, to: post)
                outcome.rewritten = true
            } catch is ChangedSinceScan where rescans < Self.maximumRescans {
                // Someone edited the post meanwhile: keep their edit, rewrite what is settled.
                // The element edits written ahead were planned on the old text.
                try? manifest?.forgetElementEdits(post: post.relativePath, places: elementRecords.map(\.place))
                guard let data = FileBytes.read(post.path) else {
                    outcome.problems.append(
                        SyncProblem(subject: post.relativePath, kind: "rewrite", message: "disappeared"))
                    return outcome
                }
                let bytes = [UInt8](data)
                let rescanned = ScannedPost(
                    relativePath: post.relativePath, path: post.path, bytes: bytes,
                    references: scanner.scan(bytes, isMarkdown: PostFinder.isMarkdown(post.relativePath)).references)
                logger.notice("post changed during the sync; scanned again", metadata: ["post": "\(post.relativePath)"])
                return update(rescanned, settled: settled, rescans: rescans + 1)
            } catch {
                // Nothing was written: the references keep their original values and the
                // element edits written ahead did not happen.
                for index in records.indices { records[index].localValue = nil }
                try? manifest?.forgetElementEdits(post: post.relativePath, places: elementRecords.map(\.place))
                outcome.mirrored -= edits.count - elementEdits.count
                outcome.failed += edits.count - elementEdits.count
                let full = (error as? AtomicFile.Failure)?.isDiskFull == true
                outcome.problems.append(
                    SyncProblem(subject: post.relativePath, kind: full ? "disk_full" : "rewrite", message: "\(error)"))
            }
        }
        do {
            let postRecord = try PostRecord.describing(
                relativePath: post.relativePath, path: post.path, bytes: finalBytes,
                pending: records.filter { $0.localValue == nil }.count)
            try manifest?.saveReferences(records, post: postRecord)
        } catch {
            outcome.problems.append(SyncProblem(subject: post.relativePath, kind: "manifest", message: "\(error)"))
        }
        return outcome
    }

    /// The declared-size corrections and provenance attributes for elements whose preferred
    /// URL (the first of `ReferenceScanner.singleURLAttributes` present, `data-original` before
    /// `src`) is mirrored in this pass.
    private func elementEdits(
        for post: ScannedPost, settled: [String: SettledURL], rewritten: [String: String]
    )
        -> [ElementEdit]
    {
        guard fixDimensions || provenanceAttribute != nil else { return [] }
        var primaries: [Int: (rank: Int, reference: ImageReference)] = [:]
        for reference in post.references {
            guard case .htmlAttribute(_, let attribute, let element) = reference.place,
                let rank = ReferenceScanner.singleURLAttributes.firstIndex(of: attribute)
            else { continue }
            if let current = primaries[element], current.rank <= rank { continue }
            primaries[element] = (rank, reference)
        }
        // Only elements whose preferred URL is rewritten in this pass: that local path anchors
        // the edits for restore.
        var mirrored: [(element: Int, reference: ImageReference, asset: AssetRecord, anchor: ElementAnchor)] = []
        for (element, primary) in primaries {
            guard let url = primary.reference.target?.url, case .mirrored(let asset, _, _, _)? = settled[url],
                case .htmlAttribute(_, let attribute, _) = primary.reference.place,
                let local = rewritten[primary.reference.place.description]
            else {
                continue
            }
            mirrored.append((element, primary.reference, asset, ElementAnchor(attribute: attribute, value: local)))
        }
        guard !mirrored.isEmpty else { return [] }
        let tags = scanner.imageElements(in: post.bytes, isMarkdown: PostFinder.isMarkdown(post.relativePath))
        var edits: [ElementEdit] = []
        for (element, reference, asset, anchor) in mirrored.sorted(by: { $0.element < $1.element })
        where element < tags.count {
            let displayed = (width: asset.displayedWidth, height: asset.displayedHeight)
            if fixDimensions,
                DimensionVerdict.classify(
                    declared: reference.declaredSize.map { ($0.width, $0.height) }, actual: displayed)
                    == .mismatch
            {
                edits += ElementEditPlanner.dimensionEdits(
                    tag: tags[element], element: element, bytes: post.bytes, displayed: displayed, anchor: anchor)
            }
            if let name = provenanceAttribute,
                let edit = ElementEditPlanner.provenanceEdit(
                    tag: tags[element], element: element, attribute: name, value: reference.value, anchor: anchor)
            {
                edits.append(edit)
            }
        }
        return edits
    }

    struct ChangedSinceScan: Error, CustomStringConvertible {
        var description: String { "kept changing while it was being rewritten; left alone until the next run" }
    }

    /// Applies the edits to the post as it is on disk now, if it is still what was scanned.
    private func write(_ edits: [PostEdit], to post: ScannedPost) throws -> [UInt8] {
        guard let current = FileBytes.read(post.path), current.elementsEqual(post.bytes) else {
            throw ChangedSinceScan()
        }
        let rewritten = try PostRewriter.apply(edits, to: post.bytes)
        guard try AtomicFile.replace(post.path, with: rewritten, ifStill: post.bytes) else {
            throw ChangedSinceScan()
        }
        logger.info("rewrote post", metadata: ["post": "\(post.relativePath)", "edits": "\(edits.count)"])
        return rewritten
    }
}
