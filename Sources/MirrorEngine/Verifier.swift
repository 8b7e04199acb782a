import Foundation
import Logging
import MirrorConfig
import MirrorFetch
import MirrorImaging
import MirrorStore

/// Re-hashes every stored original and checks every thumbnail; with `repair`, refetches
/// originals that are missing or corrupt (accepting only the same bytes) and regenerates
/// thumbnails. In a bucket each object is checked by HEAD (size, and the SHA-256 recorded at
/// upload; an object without one is downloaded and hashed).
public struct Verifier: EngineJob {
    public let context: EngineContext

    public init(_ context: EngineContext) {
        self.context = context
    }

    public func verify(repair: Bool) async throws -> Outcome {
        let manifest = try configuration.openManifest(readOnly: !repair)
        let writerLock = repair ? try configuration.lockWriters(purpose: "verify --repair") : nil
        defer { withExtendedLifetime(writerLock) {} }
        let store = try MediaStoreFactory.storeOrStop(for: configuration)
        defer { store.close() }
        let urls = Dictionary(grouping: try manifest.allURLs().filter { $0.asset != nil }, by: { $0.asset ?? "" })
        let thumbnails = Dictionary(grouping: try manifest.allThumbnails(), by: \.asset)
        let thumbnailer = Thumbnailer(configuration: configuration)
        var client: CurlMultiClient?
        defer { client?.shutdown() }
        var outcome = Outcome()
        for asset in try manifest.allAssets() {
            outcome.checked += 1
            var original: [UInt8]?
            let state: StoredFile?
            do {
                state = try await store.inspect(asset.path)
            } catch {
                throw SyncError.cannotRun("cannot check \(store.location(of: asset.path)): \(error.message)")
            }
            var intact = false
            if let state, state.bytes == asset.bytes {
                if let sha = state.sha256 {
                    intact = sha == asset.sha256
                } else {
                    intact = await storedSHA256(of: asset.path, in: store) == asset.sha256
                }
            }
            if intact {
                outcome.good += 1
            } else {
                if state == nil { outcome.missing.append(asset.path) } else { outcome.corrupt.append(asset.path) }
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
                if await thumbnailIsGood(thumbnail, in: store) { continue }
                outcome.thumbnailsBad.append(thumbnail.path)
                guard repair else { continue }
                if original == nil, intact { original = await storedBytes(of: asset.path, in: store) }
                guard let bytes = original else { continue }
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
                        try await store.write(made.bytes, as: thumbnail.path)
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

    /// A thumbnail is good when it decodes to its recorded size: read whole from a directory;
    /// in a bucket, when the object is there with its recorded byte count.
    private func thumbnailIsGood(_ thumbnail: ThumbnailRecord, in store: any MediaStore) async -> Bool {
        if store is BucketMediaStore {
            guard let state = try? await store.inspect(thumbnail.path) else { return false }
            return state.bytes == thumbnail.bytes
        }
        guard let bytes = await storedBytes(of: thumbnail.path, in: store),
            let probe = try? ImageProber.probe(bytes)
        else { return false }
        return probe.width == thumbnail.width && probe.height == thumbnail.height
    }

    private func storedBytes(of path: String, in store: any MediaStore) async -> [UInt8]? {
        guard let copy = try? await store.localCopy(of: path) else { return nil }
        defer { copy.release() }
        return FileBytes.read(copy.path).map { [UInt8]($0) }
    }

    private func storedSHA256(of path: String, in store: any MediaStore) async -> String? {
        await storedBytes(of: path, in: store)?.sha256Hex
    }

    /// Downloads the asset again from the URLs that served it; only identical bytes are accepted.
    private func refetch(
        _ asset: AssetRecord, urls: [URLRecord], client: CurlMultiClient, store: any MediaStore, outcome: inout Outcome
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
            try? AtomicFile.makeDirectories(store.scratch)
            guard let temporary = try? AtomicFile.createTemporary(in: store.scratch) else {
                reason = "cannot create a temporary file in \(store.scratch)"
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
                let bytes = FileBytes.read(temporary.path).map { [UInt8]($0) }
                do {
                    try await store.put(file: temporary.path, as: asset.path, sha256: asset.sha256)
                    return bytes
                } catch {
                    unlink(temporary.path)
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
