import Foundation
import Logging
import MirrorConfig
import MirrorImaging
import MirrorStore

/// Makes the thumbnails a change of `thumbnails.widths` or `thumbnails.formats` asks for, from
/// the stored originals: new downloads get them anyway, but a stored asset is not downloaded
/// again. The manifest keeps the plan last completed, so the pass over every asset runs once
/// after a change, not on every sync.
struct ThumbnailCompletion {
    let configuration: MirrorConfiguration
    let manifest: Manifest
    let store: ContentStore
    let logger: Logger

    static let factKey = "thumbnail_plan"

    /// Returns the number of thumbnails made.
    func run() async throws -> Int {
        let plan = ThumbnailPlan(configuration: configuration)
        guard try manifest.fact(Self.factKey) != plan.fingerprint else { return 0 }
        let thumbnails = Dictionary(grouping: try manifest.allThumbnails(), by: \.asset)
        var incomplete: [(AssetRecord, [Int])] = []
        for asset in try manifest.allAssets() {
            let present = (thumbnails[asset.sha256] ?? []).filter { store.exists($0.path) }
            let missing = plan.missingWidths(present, displayedWidth: asset.displayedWidth)
            if !missing.isEmpty { incomplete.append((asset, missing)) }
        }
        var made = 0
        if !incomplete.isEmpty {
            logger.info(
                "making the thumbnails the configuration now asks for", metadata: ["assets": "\(incomplete.count)"])
            let workers = ImageWorkerPool()
            defer { workers.shutdown() }
            let thumbnailer = Thumbnailer(configuration: configuration)
            for (asset, widths) in incomplete {
                try Task.checkCancellation()
                let records = try await workers.run { [store, logger] in
                    Self.make(asset, widths: widths, thumbnailer: thumbnailer, store: store, logger: logger)
                }
                try manifest.addThumbnails(records)
                made += records.count
            }
        }
        try manifest.setFact(Self.factKey, plan.fingerprint)
        return made
    }

    /// The thumbnails of `widths` made from the stored original and not on disk yet.
    static func make(
        _ asset: AssetRecord, widths: [Int], thumbnailer: Thumbnailer, store: ContentStore, logger: Logger
    ) -> [ThumbnailRecord] {
        let path = store.absolute(asset.path)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            logger.warning("stored original missing; verify --repair fetches it", metadata: ["file": "\(path)"])
            return []
        }
        defer { close(descriptor) }
        do {
            let image = try ImageFile(descriptor: descriptor)
            let probe = try image.probe()
            var records: [ThumbnailRecord] = []
            for thumbnail in try thumbnailer.thumbnails(of: image, probe: probe, widths: widths) {
                let record = thumbnail.record(of: asset.sha256)
                // Those on disk are recorded already.
                if store.exists(record.path) { continue }
                try store.write(thumbnail.bytes, as: record.path)
                records.append(record)
            }
            return records
        } catch {
            logger.warning("cannot make thumbnails", metadata: ["file": "\(path)", "error": "\(error)"])
            return []
        }
    }
}
