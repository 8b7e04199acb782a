import Foundation
import MirrorConfig
import MirrorFetch
import MirrorStore

/// Builds the report from the manifest: dimension verdicts (mismatches first), failures by class
/// and host, origins gone, totals.
public struct ReportBuilder: Sendable {
    public let configuration: MirrorConfiguration

    public init(configuration: MirrorConfiguration) {
        self.configuration = configuration
    }

    static let verdictOrder = ["mismatch": 0, "scaled": 1, "undeclared": 2, "match": 3]

    public func build() throws -> Report {
        try build(from: configuration.openManifest(readOnly: true))
    }

    /// The report from a manifest already open (the daemon's).
    public func build(from manifest: Manifest) throws -> Report {
        let location = StoredLocation(configuration: configuration)
        let assets = try manifest.allAssets()
        let bySHA = Dictionary(uniqueKeysWithValues: assets.map { ($0.sha256, $0) })
        let thumbnails = Dictionary(grouping: try manifest.allThumbnails(), by: \.asset)

        var references = try manifest.allReferences().map { record -> Report.Reference in
            let asset = record.asset.flatMap { bySHA[$0] }
            let declared = record.declaredWidth.flatMap { width in record.declaredHeight.map { [width, $0] } }
            return Report.Reference(
                post: record.post, place: record.place, kind: record.kind, line: record.line,
                originalValue: record.originalValue, url: record.url, localValue: record.localValue, declared: declared,
                actual: asset.map { [$0.displayedWidth, $0.displayedHeight] },
                verdict: asset == nil ? nil : record.verdict, sha256: asset?.sha256)
        }
        references.sort { a, b in
            let rankA = Self.verdictOrder[a.verdict ?? ""] ?? 4
            let rankB = Self.verdictOrder[b.verdict ?? ""] ?? 4
            return (rankA, a.post, a.line, a.place) < (rankB, b.post, b.line, b.place)
        }
        let reportAssets = assets.map { asset in
            Report.Asset(
                sha256: asset.sha256, path: location(asset.path), bytes: asset.bytes, type: asset.format,
                width: asset.width, height: asset.height, orientation: asset.orientation,
                displayedWidth: asset.displayedWidth, displayedHeight: asset.displayedHeight,
                thumbnails: (thumbnails[asset.sha256] ?? []).map {
                    Report.Thumbnail(
                        width: $0.width, height: $0.height, path: location($0.path), format: $0.format)
                })
        }
        let urls = try manifest.allURLs()
        var failures = urls.filter { $0.status == .failed }.map { url in
            Report.Failure(
                url: url.url, host: URLOrigin.host(of: url.url) ?? "", class: url.failureClass ?? "other",
                message: url.failureMessage ?? "", attempts: url.attempts, httpStatus: url.httpStatus,
                rescueChecked: url.rescueChecked)
        }
        failures.sort { ($0.class, $0.host, $0.url) < ($1.class, $1.host, $1.url) }
        let gone = urls.compactMap { url in
            url.goneSince.map { Report.Gone(url: url.url, since: $0, sha256: url.asset) }
        }

        var totals = Report.Totals()
        totals.posts = try manifest.allPosts().count
        totals.references = references.count
        totals.local = references.filter { $0.localValue != nil }.count
        totals.assets = assets.count
        totals.assetBytes = assets.reduce(0) { $0 + $1.bytes }
        totals.thumbnails = thumbnails.values.reduce(0) { $0 + $1.count }
        totals.failures = failures.count
        for reference in references { if let verdict = reference.verdict { totals.verdicts[verdict, default: 0] += 1 } }
        var report = Report(
            references: references, assets: reportAssets, failures: failures, gone: gone, totals: totals)
        report.refererRules = try manifest.refererRules().map {
            Report.RefererRule(host: $0.host, referer: $0.referer, url: $0.url, learnedAt: $0.learnedAt)
        }
        report.rescued = Self.rescued(urls, references: references)
        if configuration.fetch.suspectPlaceholders { report.suspects = Report.Suspect.find(in: references) }
        return report
    }

    /// Rescued URLs with the posts that reference them.
    static func rescued(_ urls: [URLRecord], references: [Report.Reference]) -> [Report.Rescued] {
        let rescued = urls.filter { $0.fetchedVia == URLRecord.fetchedFromArchive }
        guard !rescued.isEmpty else { return [] }
        var posts: [String: Set<String>] = [:]
        for reference in references { if let url = reference.url { posts[url, default: []].insert(reference.post) } }
        return rescued.map { url in
            Report.Rescued(
                url: url.url, fetchedVia: URLRecord.fetchedFromArchive, archiveURL: url.archiveCapture ?? "",
                capturedAt: url.capturedAt, sha256: url.asset, posts: (posts[url.url] ?? []).sorted())
        }
    }
}
