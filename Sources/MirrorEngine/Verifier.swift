import Foundation
import Logging
import MirrorConfig
import MirrorFetch
import MirrorImaging
import MirrorStore

/// Re-hashes every stored original and checks every thumbnail; with `repair`, refetches
/// originals that are missing or corrupt (accepting only the same bytes) and regenerates
/// thumbnails.
public struct Verifier: EngineJob {
    public let context: EngineContext

    public init(_ context: EngineContext) {
        self.context = context
    }

    public func verify(repair: Bool) async throws -> Outcome {
        let manifest = try configuration.openManifest(readOnly: !repair)
        let writerLock = repair ? try configuration.lockWriters(purpose: "verify --repair") : nil
        defer { withExtendedLifetime(writerLock) {} }
        let store = ContentStore(root: configuration.site.media)
        let urls = Dictionary(grouping: try manifest.allURLs().filter { $0.asset != nil }, by: { $0.asset ?? "" })
        let thumbnails = Dictionary(grouping: try manifest.allThumbnails(), by: \.asset)
        let thumbnailer = Thumbnailer(configuration: configuration)
        var client: CurlMultiClient?
        defer { client?.shutdown() }
        var outcome = Outcome()
        for asset in try manifest.allAssets() {
            outcome.checked += 1
            let path = store.absolute(asset.path)
            var original = FileBytes.read(path).map { [UInt8]($0) }
            if let bytes = original, bytes.sha256Hex == asset.sha256 {
                outcome.good += 1
            } else {
                if original == nil { outcome.missing.append(asset.path) } else { outcome.corrupt.append(asset.path) }
                original = nil
                if repair {
                    if client == nil { client = try FetchClientFactory.client(for: configuration) }
                    if let client,
                        let bytes = await refetch(
                            asset, urls: urls[asset.sha256] ?? [], client: client, store: store, outcome: &outcome)
                    {
                        original = bytes
                        outcome.repaired.append(asset.path)
                    }
                }
            }
            for thumbnail in thumbnails[asset.sha256] ?? [] {
                outcome.thumbnailsChecked += 1
                let thumbnailPath = store.absolute(thumbnail.path)
                if let data = FileBytes.read(thumbnailPath),
                    let probe = try? ImageProber.probe([UInt8](data)), probe.width == thumbnail.width,
                    probe.height == thumbnail.height
                {
                    continue
                }
                outcome.thumbnailsBad.append(thumbnail.path)
                guard repair, let bytes = original else { continue }
                do {
                    let probe = try ImageProber.probe(bytes)
                    // Remade in the format recorded for it, whatever thumbnails.formats says now.
                    var remaker = thumbnailer
                    remaker.outputs = [Thumbnailer.Output(rawValue: thumbnail.format) ?? .auto]
                    if let made = try remaker.thumbnails(of: bytes, probe: probe, widths: [thumbnail.width]).first {
                        guard thumbnail.path.hasSuffix("." + made.format.fileExtension) else {
                            outcome.unrepaired.append(
                                SyncProblem(
                                    subject: thumbnail.path, kind: .thumbnail,
                                    message: "would be remade as \(made.format.rawValue), not what its name says"))
                            continue
                        }
                        try store.write(made.bytes, as: thumbnail.path)
                        outcome.thumbnailsRegenerated += 1
                    }
                } catch {
                    outcome.unrepaired.append(
                        SyncProblem(subject: thumbnail.path, kind: .thumbnail, message: "\(error)"))
                }
            }
        }
        return outcome
    }

    /// Downloads the asset again from the URLs that served it; only identical bytes are accepted.
    private func refetch(
        _ asset: AssetRecord, urls: [URLRecord], client: CurlMultiClient, store: ContentStore, outcome: inout Outcome
    ) async -> [UInt8]? {
        let downloader = Downloader(client: client, attempts: configuration.fetch.attempts)
        var candidates: [String] = []
        for url in urls {
            // A rescued URL's bytes came from its archive capture; `archive` names no URL.
            let served = url.fetchedVia == URLRecord.fetchedFromArchive ? url.archiveCapture : url.fetchedVia
            for candidate in [served, url.url, url.wrapper].compactMap({ $0 }) where !candidates.contains(candidate) {
                candidates.append(candidate)
            }
        }
        var reason = "no URL in the manifest serves this asset"
        for candidate in candidates {
            guard let temporary = try? AtomicFile.createTemporary(in: store.root) else {
                reason = "cannot create a temporary file in \(store.root)"
                break
            }
            defer { close(temporary.descriptor) }
            let result = await downloader.download(
                FetchRequest(
                    url: candidate, headers: HeaderPolicy(configuration: configuration).headers(for: candidate),
                    descriptor: temporary.descriptor)
            )
            .result
            switch result {
            case .success(let response) where response.sha256 == asset.sha256:
                do {
                    let target = store.absolute(asset.path)
                    try AtomicFile.makeDirectories((target as NSString).deletingLastPathComponent)
                    try AtomicFile.flush(temporary.descriptor, path: temporary.path)
                    try AtomicFile.publish(temporary.path, to: target)
                    return FileBytes.read(target).map { [UInt8]($0) }
                } catch {
                    reason = "\(error)"
                }
            case .success:
                unlink(temporary.path)
                reason = "\(candidate) now serves different bytes"
            case .failure(let failure):
                unlink(temporary.path)
                reason = "\(candidate): \(failure)"
            }
        }
        outcome.unrepaired.append(SyncProblem(subject: asset.path, kind: .refetch, message: reason))
        return nil
    }
}
