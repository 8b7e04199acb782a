import Foundation
import Logging
import MirrorFetch
import MirrorImaging
import MirrorPosts
import MirrorStore

/// Turns one image target into a published asset: download (origin first, then the proxy
/// wrapper), check the bytes really are an image, store them by hash, make thumbnails, record
/// everything in the manifest. A file is published only once it is complete and verified.
struct AssetPipeline: Sendable {
    let downloader: Downloader
    let store: ContentStore
    let manifest: Manifest
    let thumbnailer: Thumbnailer
    let widths: [Int]
    let workers: ImageWorkerPool
    let headerPolicy: HeaderPolicy
    let breaker: HostBreaker
    /// Set once a write to the media directory failed for lack of space.
    let diskFull = SharedFlag()
    /// Time the image threads spent on this run's files.
    let imageSeconds = TimeTally()
    /// Ignore the retry schedule of failed URLs.
    let retryFailed: Bool
    let logger: Logger

    /// Back-off before a failed URL is tried again: transient failures start at ten minutes,
    /// permanent ones (404, not an image, blocked…) at six hours; doubling per failed run, at
    /// most a week.
    static func retryDelay(failedRuns: Int, transient: Bool) -> Double {
        let base: Double = transient ? 600 : 6 * 3600
        return min(base * pow(2, Double(max(0, failedRuns - 1))), 7 * 86400)
    }

    /// Reuses what the manifest already has when its file is still on disk.
    func settle(_ target: ImageTarget) async -> SettledURL {
        if let asset = manifest.storedCopy(of: target.url, in: store) {
            return .mirrored(asset: asset, fetched: false, bytes: 0, thumbnailsMade: 0)
        }
        let previous = try? manifest.urlRecord(target.url)
        if !retryFailed, let previous, previous.status == .failed, let next = previous.nextAttempt,
            next > Date().timeIntervalSince1970
        {
            let when = Date(timeIntervalSince1970: next)
            return .deferred(
                kind: previous.failureClass ?? "other",
                message: "\(previous.failureMessage ?? "failed") (next attempt after \(when); --retry-failed tries now)"
            )
        }
        var candidates = [target.url]
        if let wrapper = target.wrapper { candidates.append(wrapper) }
        // Hosts the breaker paused in this run are not asked: their URLs wait for the next run.
        let open = candidates.filter { breaker.isOpen(HostBreaker.origin(of: $0)) }
        if open.count == candidates.count {
            return .deferred(
                kind: "host_paused",
                message: "\(HostBreaker.origin(of: target.url)) failed repeatedly in this run; tried next run")
        }
        candidates.removeAll { open.contains($0) }
        var lastFailure: (kind: String, message: String, status: Int?, attempts: Int, transient: Bool) = (
            "other", "not attempted", nil, 0, true
        )
        var totalAttempts = 0
        for candidate in candidates {
            switch await fetchAndPublish(candidate) {
            case .success(let published):
                breaker.recordSuccess(HostBreaker.origin(of: candidate))
                totalAttempts += published.attempts
                let record = URLRecord(
                    url: target.url, wrapper: target.wrapper, status: .mirrored, fetchedVia: candidate,
                    asset: published.asset.sha256, httpStatus: published.response.httpStatus, failureClass: nil,
                    failureMessage: nil, attempts: totalAttempts, etag: published.response.etag,
                    lastModified: published.response.lastModified, lastChecked: Date().timeIntervalSince1970)
                do {
                    try manifest.recordMirrored(record, asset: published.asset, thumbnails: published.thumbnails)
                } catch {
                    return .failed(kind: "manifest", message: "cannot record \(target.url): \(error)")
                }
                return .mirrored(
                    asset: published.asset, fetched: true, bytes: published.response.bytes,
                    thumbnailsMade: published.thumbnails.count)
            case .failure(let failure):
                let host = HostBreaker.origin(of: candidate)
                if failure.transient, failure.httpStatus != 404,
                    failure.kind != FetchFailure.Kind.diskFull.rawValue,
                    failure.kind != FetchFailure.Kind.cancelled.rawValue,
                    breaker.recordTransientFailure(host)
                {
                    logger.warning(
                        "origin paused for this run after \(breaker.threshold) failures in a row",
                        metadata: ["host": "\(host)"])
                }
                // An abandoned transfer says nothing about the URL: no failure is recorded.
                if failure.kind == FetchFailure.Kind.cancelled.rawValue || Task.isCancelled {
                    return .failed(kind: FetchFailure.Kind.cancelled.rawValue, message: "cancelled")
                }
                // Neither does a full disk: the URL is tried again on the next run, and this run
                // starts no more downloads.
                if failure.kind == FetchFailure.Kind.diskFull.rawValue {
                    diskFull.set()
                    return .failed(kind: failure.kind, message: "\(candidate): \(failure.message)")
                }
                totalAttempts += failure.attempts
                lastFailure = (failure.kind, failure.message, failure.httpStatus, failure.attempts, failure.transient)
                logger.info(
                    "fetch failed",
                    metadata: ["url": "\(candidate)", "class": "\(failure.kind)", "reason": "\(failure.message)"])
            }
        }
        let record = URLRecord(
            url: target.url, wrapper: target.wrapper, status: .failed, fetchedVia: nil, asset: nil,
            httpStatus: lastFailure.status, failureClass: lastFailure.kind, failureMessage: lastFailure.message,
            attempts: totalAttempts, etag: nil, lastModified: nil, lastChecked: Date().timeIntervalSince1970)
        var failed = record
        failed.failedRuns = (previous?.status == .failed ? previous?.failedRuns ?? 0 : 0) + 1
        failed.nextAttempt =
            Date().timeIntervalSince1970
            + Self.retryDelay(failedRuns: failed.failedRuns, transient: lastFailure.transient)
        try? manifest.recordFailure(failed)
        return .failed(kind: lastFailure.kind, message: lastFailure.message)
    }

    struct Published {
        var response: FetchResponse
        var asset: AssetRecord
        var thumbnails: [ThumbnailRecord]
        var attempts: Int
    }

    struct Failure: Error {
        var kind: String
        var message: String
        var httpStatus: Int?
        var attempts: Int
        /// Worth trying again soon (connection trouble, 5xx) rather than much later.
        var transient: Bool = false
    }

    /// Checks the downloaded file is an image, makes its thumbnails and publishes it: blocking
    /// work, run on an image thread. A file is published only when everything about it is good.
    private func process(
        temporary: String, descriptor: Int32, response: FetchResponse, url: String, attempts: Int
    ) -> Result<(ImageProbe, String, [ThumbnailRecord]), Failure> {
        // The download is probed from its first bytes and decoded straight from the file: an
        // image worker holds rows, not whole files.
        guard let image = try? ImageFile(descriptor: descriptor), image.size == response.bytes else {
            return .failure(
                Failure(kind: "local_error", message: "the downloaded file cannot be read back", attempts: attempts))
        }
        let probe: ImageProbe
        do {
            probe = try image.probe()
        } catch {
            return .failure(Failure(kind: error.failureClass, message: error.description, attempts: attempts))
        }
        let relativePath = ContentStore.originalPath(sha256: response.sha256, fileExtension: probe.format.fileExtension)
        do {
            try AtomicFile.flush(descriptor, path: temporary)
        } catch {
            return .failure(
                Failure(kind: error.isDiskFull ? "disk_full" : "local_error", message: "\(error)", attempts: attempts))
        }
        // The same bytes under another URL: its thumbnails are already made.
        if let known = reusableThumbnails(of: response.sha256, originalPath: relativePath, probe: probe) {
            do {
                try store.publish(temporary: temporary, as: relativePath)
            } catch {
                return .failure(
                    Failure(
                        kind: error.isDiskFull ? "disk_full" : "local_error", message: "\(error)", attempts: attempts))
            }
            return .success((probe, relativePath, known))
        }
        var thumbnailRecords: [ThumbnailRecord] = []
        do {
            let thumbnails: [Thumbnail]
            do {
                thumbnails = try thumbnailer.thumbnails(of: image, probe: probe, widths: widths)
            } catch ImagingError.unsupported(let reason) {
                logger.debug("no thumbnail", metadata: ["url": "\(url)", "reason": "\(reason)"])
                thumbnails = []
            }
            for thumbnail in thumbnails {
                let path = ContentStore.thumbnailPath(
                    sha256: response.sha256, width: thumbnail.width, fileExtension: thumbnail.format.fileExtension)
                try store.write(thumbnail.bytes, as: path)
                thumbnailRecords.append(
                    ThumbnailRecord(
                        asset: response.sha256, width: thumbnail.width, height: thumbnail.height, path: path,
                        bytes: thumbnail.bytes.count))
            }
            try store.publish(temporary: temporary, as: relativePath)
        } catch let error as ImagingError {
            return .failure(Failure(kind: error.failureClass, message: error.description, attempts: attempts))
        } catch let error as AtomicFile.Failure {
            return .failure(
                Failure(kind: error.isDiskFull ? "disk_full" : "local_error", message: "\(error)", attempts: attempts))
        } catch {
            return .failure(Failure(kind: "local_error", message: "\(error)", attempts: attempts))
        }
        return .success((probe, relativePath, thumbnailRecords))
    }

    /// The thumbnails of an asset already stored (original and every configured width on disk).
    private func reusableThumbnails(of sha256: String, originalPath: String, probe: ImageProbe) -> [ThumbnailRecord]? {
        guard store.exists(originalPath), (try? manifest.asset(sha256)) != nil,
            let thumbnails = try? manifest.thumbnails(of: sha256)
        else { return nil }
        // The widths the thumbnailer makes: those below the displayed width (it never upscales).
        let wanted = Set(widths.filter { $0 < probe.displayedWidth })
        let reusable = thumbnails.filter { wanted.contains($0.width) && store.exists($0.path) }
        return Set(reusable.map(\.width)) == wanted ? reusable : nil
    }

    private func recordFetch(
        _ url: String, _ result: Result<FetchResponse, FetchFailure>, since started: ContinuousClock.Instant
    ) {
        var outcome = "ok"
        var bytes = 0
        switch result {
        case .success(let response): bytes = response.bytes
        case .failure(let failure): outcome = failure.kind.rawValue
        }
        SyncMetrics.fetched(
            host: URLOrigin.host(of: url) ?? "", outcome: outcome, bytes: bytes,
            duration: ContinuousClock.now - started)
    }

    private func fetchAndPublish(_ url: String) async -> Result<Published, Failure> {
        let temporary: (path: String, descriptor: Int32)
        do {
            try AtomicFile.makeDirectories(store.root)
            temporary = try AtomicFile.createTemporary(in: store.root)
        } catch {
            return .failure(
                Failure(kind: error.isDiskFull ? "disk_full" : "local_error", message: "\(error)", attempts: 0))
        }
        var published = false
        defer {
            close(temporary.descriptor)
            if !published { unlink(temporary.path) }
        }
        let fetchStarted = ContinuousClock.now
        let outcome = await downloader.download(
            FetchRequest(url: url, headers: headerPolicy.headers(for: url), descriptor: temporary.descriptor))
        recordFetch(url, outcome.result, since: fetchStarted)
        let response: FetchResponse
        switch outcome.result {
        case .failure(let failure):
            return .failure(
                Failure(
                    kind: failure.kind.rawValue, message: failure.message, httpStatus: failure.httpStatus,
                    attempts: outcome.attempts, transient: failure.isTransient))
        case .success(let success):
            response = success
        }
        // Decoding, resampling, encoding and the fsyncs: on the image threads, never on the
        // cooperative pool.
        let processed: Result<(ImageProbe, String, [ThumbnailRecord]), Failure>
        do {
            processed = try await workers.run { [self] in
                let started = ContinuousClock.now
                defer { imageSeconds.add(ContinuousClock.now - started) }
                return process(
                    temporary: temporary.path, descriptor: temporary.descriptor, response: response, url: url,
                    attempts: outcome.attempts)
            }
        } catch {
            return .failure(
                Failure(kind: "cancelled", message: "the image workers stopped", attempts: outcome.attempts))
        }
        let probe: ImageProbe
        let relativePath: String
        let thumbnailRecords: [ThumbnailRecord]
        switch processed {
        case .failure(let failure): return .failure(failure)
        case .success(let (processedProbe, path, thumbnails)):
            (probe, relativePath, thumbnailRecords) = (processedProbe, path, thumbnails)
            published = true
        }
        let asset = AssetRecord(
            sha256: response.sha256, path: relativePath, format: probe.format.rawValue, bytes: response.bytes,
            width: probe.width, height: probe.height, orientation: probe.orientation,
            displayedWidth: probe.displayedWidth, displayedHeight: probe.displayedHeight, frames: probe.frames,
            createdAt: Date().timeIntervalSince1970)
        SyncMetrics.thumbnailsMade(thumbnailRecords.count)
        return .success(
            Published(response: response, asset: asset, thumbnails: thumbnailRecords, attempts: outcome.attempts))
    }
}
