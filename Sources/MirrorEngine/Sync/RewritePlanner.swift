import MirrorConfig
import MirrorImaging
import MirrorPosts
import MirrorStore

/// Plans the rewrite of one post from what its URLs settled as: a pure function of the post's
/// bytes and the settled outcomes (assets and thumbnails included), so it is tested without a
/// disk or a manifest.
struct RewritePlanner: Sendable {
    let scanner: ReferenceScanner
    let urlPrefix: String
    /// `rewrite.variants`: places that point at a thumbnail instead of the original.
    var variants: [RewriteVariant] = []
    /// Which of several formats of one width a variant points at: the first configured.
    var thumbnailPlan: ThumbnailPlan?
    /// `rewrite.srcset`: the output whose thumbnails an inserted `srcset` lists; nil: none.
    var srcsetOutput: Thumbnailer.Output?
    var sizes = RewriteSettings.defaultSizes
    /// `rewrite.add_dimensions`.
    var addDimensions = false
    /// `rewrite.fix_dimensions`: correct declared sizes of another aspect ratio than the image.
    var fixDimensions = false
    /// `rewrite.provenance_attribute`: the attribute recording the URL an element showed before.
    var provenanceAttribute: String?
    /// `rewrite.fill_placeholder_src`: give a lazy-loading `<img>` its local copy as `src`.
    var fillPlaceholderSource = false
    /// A dry run shows where not-yet-fetched references would go, with a placeholder path.
    var dryRun = false

    init(configuration: MirrorConfiguration, scanner: ReferenceScanner, dryRun: Bool) {
        self.scanner = scanner
        urlPrefix = configuration.site.urlPrefix
        variants = configuration.rewrite.variants
        thumbnailPlan = ThumbnailPlan(configuration: configuration)
        if configuration.rewrite.srcset {
            srcsetOutput = Thumbnailer.Output(
                rawValue: configuration.rewrite.srcsetFormat ?? configuration.thumbnails.formats.first ?? "auto")
        }
        sizes = configuration.rewrite.sizes
        addDimensions = configuration.rewrite.addDimensions
        fixDimensions = configuration.rewrite.fixDimensions
        provenanceAttribute = configuration.rewrite.provenanceAttribute
        fillPlaceholderSource = configuration.rewrite.fillPlaceholderSource
        self.dryRun = dryRun
    }

    init(scanner: ReferenceScanner, urlPrefix: String) {
        self.scanner = scanner
        self.urlPrefix = urlPrefix
    }

    private var prefix: String {
        urlPrefix.hasSuffix("/") ? String(urlPrefix.dropLast()) : urlPrefix
    }

    var localPlaceholder: String { prefix + "/(not-downloaded-yet)" }

    /// The local value for a reference at `place` to a mirrored URL: a thumbnail where
    /// `rewrite.variants` asks for one that exists, else the original.
    func localValue(for mirrored: MirroredURL, place: ReferencePlace? = nil) -> String {
        if let place, let width = variantWidth(for: place),
            let thumbnail = thumbnailPlan?.preferred(mirrored.thumbnails, width: width)
                ?? mirrored.thumbnails.first(where: { $0.width == width })
        {
            return prefix + "/" + thumbnail.path
        }
        return prefix + "/" + mirrored.asset.path
    }

    /// The thumbnail width the first matching `rewrite.variants` rule asks for, if any.
    private func variantWidth(for place: ReferencePlace) -> Int? {
        guard !variants.isEmpty else { return nil }
        let selectors = place.variantSelectors
        return variants.first { $0.applies(to: selectors) }?.width
    }

    func plan(_ post: ScannedPost, settled: [String: SettledURL]) -> RewritePlan {
        var plan = RewritePlan(post: post)
        for reference in post.references {
            guard let target = reference.target else {
                if reference.skipReason == .alreadyLocal {
                    plan.counts.references += 1
                    plan.counts.mirrored += 1
                } else {
                    plan.counts.skipped += 1
                }
                continue
            }
            plan.counts.references += 1
            var record = ReferenceRecord(
                post: post.relativePath, place: reference.place.description, kind: reference.place.kind,
                line: reference.line, originalValue: reference.rawValue, url: target.url, localValue: nil, asset: nil,
                declaredWidth: reference.declaredSize?.width, declaredHeight: reference.declaredSize?.height,
                verdict: nil)
            switch settled[target.url] {
            case .mirrored(let mirrored)?:
                rewrite(reference, to: mirrored, record: &record, plan: &plan)
            case .failed?, .deferred?:
                plan.counts.failed += 1
            case nil:
                // Not fetched in this run (a dry run, or a URL that appeared in a rescan). A dry
                // run still shows where it would go, with a placeholder for the unknown hash.
                plan.counts.pending += 1
                if dryRun, let placeholder = reference.encoding.encode(localPlaceholder) {
                    plan.edits.append(
                        PostEdit(
                            range: reference.valueRange, expected: Array(reference.rawValue.utf8),
                            replacement: Array(placeholder.utf8)))
                }
            }
            plan.references.append(record)
        }
        var rewritten: [String: String] = [:]
        for record in plan.references { if let local = record.localValue { rewritten[record.place] = local } }
        let elementEdits = elementEdits(for: post, settled: settled, rewritten: rewritten)
        plan.edits += elementEdits.map(\.edit)
        plan.elementEdits = elementEdits.map {
            ElementEditRecord(
                post: post.relativePath, place: $0.place, kind: $0.kind.rawValue, originalValue: $0.originalValue,
                localValue: $0.localValue, anchorAttribute: $0.anchor.attribute, anchorValue: $0.anchor.value)
        }
        return plan
    }

    private func rewrite(
        _ reference: ImageReference, to mirrored: MirroredURL, record: inout ReferenceRecord, plan: inout RewritePlan
    ) {
        record.asset = mirrored.asset.sha256
        record.verdict =
            DimensionVerdict.classify(
                declared: reference.declaredSize.map { ($0.width, $0.height) },
                actual: (mirrored.asset.displayedWidth, mirrored.asset.displayedHeight)
            ).rawValue
        let local = localValue(for: mirrored, place: reference.place)
        guard let encoded = reference.encoding.encode(local) else {
            plan.counts.failed += 1
            plan.problems.append(
                SyncProblem(
                    subject: plan.post.relativePath, kind: .rewrite,
                    message: "line \(reference.line) \(reference.place): '\(local)' cannot be written in this syntax"))
            return
        }
        record.localValue = encoded
        plan.counts.mirrored += 1
        plan.edits.append(
            PostEdit(
                range: reference.valueRange, expected: Array(reference.rawValue.utf8),
                replacement: Array(encoded.utf8)))
    }

    /// The declared-size corrections and provenance attributes for elements whose preferred
    /// URL (the first of `ReferenceScanner.singleURLAttributes` present, `data-original` before
    /// `src`) is mirrored in this pass. Only those elements' tags are parsed.
    private func elementEdits(
        for post: ScannedPost, settled: [String: SettledURL], rewritten: [String: String]
    ) -> [ElementEdit] {
        guard
            fixDimensions || provenanceAttribute != nil || fillPlaceholderSource || srcsetOutput != nil || addDimensions
        else { return [] }
        var edits: [ElementEdit] = []
        for (element, reference, mirrored, anchor) in mirroredElements(of: post, settled: settled, rewritten: rewritten)
        where element < post.elements.count {
            guard let tag = scanner.imageElement(in: post.bytes, range: post.elements[element]) else { continue }
            let displayed = (width: mirrored.asset.displayedWidth, height: mirrored.asset.displayedHeight)
            if fixDimensions,
                DimensionVerdict.classify(
                    declared: reference.declaredSize.map { ($0.width, $0.height) }, actual: displayed)
                    == .mismatch
            {
                edits += ElementEditPlanner.dimensionEdits(
                    tag: tag, element: element, bytes: post.bytes, displayed: displayed, anchor: anchor)
            }
            if let name = provenanceAttribute,
                let edit = ElementEditPlanner.provenanceEdit(
                    tag: tag, element: element, attribute: name, value: reference.value, anchor: anchor)
            {
                edits.append(edit)
            }
            if tag.name == "img" {
                edits += responsiveEdits(tag: tag, element: element, mirrored: mirrored, anchor: anchor)
            }
            if fillPlaceholderSource, anchor.attribute != "src", tag.name == "img",
                hasPlaceholderSource(post, element: element, settled: settled),
                let edit = ElementEditPlanner.placeholderSourceEdit(
                    tag: tag, element: element, bytes: post.bytes, local: anchor.value, anchor: anchor)
            {
                edits.append(edit)
            }
        }
        return edits
    }

    /// `srcset` (the thumbnails in `srcsetOutput` and the original, by width) and `sizes` where
    /// the element has none; `width`/`height` where it declares none (`addDimensions`).
    private func responsiveEdits(
        tag: HTMLStartTag, element: Int, mirrored: MirroredURL, anchor: ElementAnchor
    ) -> [ElementEdit] {
        var edits: [ElementEdit] = []
        let displayed = (width: mirrored.asset.displayedWidth, height: mirrored.asset.displayedHeight)
        if let output = srcsetOutput, tag.attribute("srcset") == nil {
            let formats = output.possibleFormats.map(\.rawValue)
            var byWidth: [Int: ThumbnailRecord] = [:]
            for thumbnail in mirrored.thumbnails where thumbnail.width < displayed.width {
                guard let rank = formats.firstIndex(of: thumbnail.format) else { continue }
                if let current = byWidth[thumbnail.width], let held = formats.firstIndex(of: current.format),
                    held <= rank
                {
                    continue
                }
                byWidth[thumbnail.width] = thumbnail
            }
            if !byWidth.isEmpty {
                let candidates =
                    byWidth.values.sorted { $0.width < $1.width }.map { "\(prefix)/\($0.path) \($0.width)w" }
                    + ["\(prefix)/\(mirrored.asset.path) \(displayed.width)w"]
                if let edit = ElementEditPlanner.insertion(
                    tag: tag, element: element, attribute: "srcset", value: candidates.joined(separator: ", "),
                    anchor: anchor)
                {
                    edits.append(edit)
                    if let sizesEdit = ElementEditPlanner.insertion(
                        tag: tag, element: element, attribute: "sizes", value: sizes, anchor: anchor)
                    {
                        edits.append(sizesEdit)
                    }
                }
            }
        }
        if addDimensions {
            edits += ElementEditPlanner.dimensionInsertions(
                tag: tag, element: element, displayed: displayed, anchor: anchor)
        }
        return edits
    }

    /// Whether an `<img>`'s `src` shows nothing: missing, empty, a `data:` placeholder, or a URL
    /// that failed (a page, a 404: not an image).
    private func hasPlaceholderSource(_ post: ScannedPost, element: Int, settled: [String: SettledURL]) -> Bool {
        guard
            let source = post.references.first(where: {
                if case .htmlAttribute(_, "src", element) = $0.place { return true }
                return false
            })
        else { return true }
        switch source.skipReason {
        case .empty?, .nonHTTPScheme("data:")?: return true
        case nil: break
        default: return false
        }
        guard let url = source.target?.url else { return false }
        switch settled[url] {
        case .failed?, .deferred?: return true
        case .mirrored?, nil: return false
        }
    }

    /// Elements whose preferred URL is rewritten in this pass, in element order: that local
    /// path anchors their edits for restore.
    private func mirroredElements(
        of post: ScannedPost, settled: [String: SettledURL], rewritten: [String: String]
    ) -> [(element: Int, reference: ImageReference, mirrored: MirroredURL, anchor: ElementAnchor)] {
        var primaries: [Int: (rank: Int, reference: ImageReference)] = [:]
        for reference in post.references {
            guard case .htmlAttribute(_, let attribute, let element) = reference.place,
                let rank = ReferenceScanner.singleURLAttributes.firstIndex(of: attribute)
            else { continue }
            if let current = primaries[element], current.rank <= rank { continue }
            primaries[element] = (rank, reference)
        }
        var mirrored: [(element: Int, reference: ImageReference, mirrored: MirroredURL, anchor: ElementAnchor)] = []
        for (element, primary) in primaries {
            guard let url = primary.reference.target?.url, case .mirrored(let found)? = settled[url],
                case .htmlAttribute(_, let attribute, _) = primary.reference.place,
                let local = rewritten[primary.reference.place.description]
            else { continue }
            mirrored.append((element, primary.reference, found, ElementAnchor(attribute: attribute, value: local)))
        }
        return mirrored.sorted { $0.element < $1.element }
    }
}
