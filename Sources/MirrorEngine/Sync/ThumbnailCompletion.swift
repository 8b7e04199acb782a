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
    let store: any MediaStore
    let logger: Logger

    static let factKey = "thumbnail_plan"

    /// Returns the number of thumbnails made.
    func run() async throws -> Int {
        let plan = ThumbnailPlan(configuration: configuration)
        guard try manifest.fact(Self.factKey) != plan.fingerprint else { return 0 }
        let thumbnails = Dictionary(grouping: try manifest.allThumbnails(), by: \.asset)
        var incomplete: [(AssetRecord, [Int])] = []
        for asset in try manifest.allAssets() {
            let present = (thumbnails[asset.sha256] ?? []).filter { store.holds($0.path) }
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
                let copy: LocalCopy
                do {
                    copy = try await store.localCopy(of: asset.path)
                } catch {
                    logger.warning(
                        "stored original unreadable; verify --repair fetches it",
                        metadata: ["file": "\(store.location(of: asset.path))", "error": "\(error)"])
                    continue
                }
                defer { copy.release() }
                let thumbnails = try await workers.run { [store, logger] in
                    Self.make(
                        asset, from: copy.path, widths: widths, thumbnailer: thumbnailer, store: store, logger: logger)
                }
                var records: [ThumbnailRecord] = []
                for thumbnail in thumbnails {
                    do {
                        try await store.write(thumbnail.bytes, as: thumbnail.record.path)
                        records.append(thumbnail.record)
                    } catch {
                        logger.warning(
                            "cannot store a thumbnail",
                            metadata: ["file": "\(store.location(of: thumbnail.record.path))", "error": "\(error)"])
                    }
                }
                try manifest.addThumbnails(records)
                made += records.count
            }
        }
        try manifest.setFact(Self.factKey, plan.fingerprint)
        return made
    }

    /// The thumbnails of `widths` made from the original's local copy and not in the store yet.
    static func make(
        _ asset: AssetRecord, from path: String, widths: [Int], thumbnailer: Thumbnailer, store: any MediaStore,
        logger: Logger
    ) -> [StagedThumbnail] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            logger.warning("stored original missing; verify --repair fetches it", metadata: ["file": "\(path)"])
            return []
        }
        defer { close(descriptor) }
        do {
            let image = try ImageFile(descriptor: descriptor)
            let probe = try image.probe()
            var made: [StagedThumbnail] = []
            for thumbnail in try thumbnailer.thumbnails(of: image, probe: probe, widths: widths) {
                let record = thumbnail.record(of: asset.sha256)
                // Those in the store are recorded already.
                if store.holds(record.path) { continue }
                made.append(StagedThumbnail(record: record, bytes: thumbnail.bytes))
            }
            return made
        } catch {
            logger.warning("cannot make thumbnails", metadata: ["file": "\(path)", "error": "\(error)"])
            return []
        }
    }
}
