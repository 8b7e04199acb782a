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
    // Fetching.
    let downloader: Downloader
    let headerPolicy: HeaderPolicy
    /// The Referers hosts were found to need.
    let referers: RefererMemory
    let breaker: HostBreaker
    /// Ignore the retry schedule of failed URLs.
    let retryFailed: Bool
    /// SHA-256s of known placeholder images (`fetch.placeholders`).
    let placeholders: Set<String>
    /// Web archives asked for images the origin lost (`rescue.*`), when enabled.
    let rescue: ArchiveRescue?
    // Storing.
    let store: any MediaStore
    /// Set once a write to the media directory failed for lack of space.
    let diskFull = SharedFlag()
    /// Set once the bucket could not be used (unreachable, credentials refused): like a full
    /// disk, the pass starts no more downloads.
    let storeUnavailable = SharedFlag()
    let manifest: Manifest
    // Imaging.
    let thumbnailer: Thumbnailer
    /// The widths and formats thumbnails are made in, and what complete thumbnails of an asset are.
    let plan: ThumbnailPlan
    let workers: ImageWorkerPool
    /// Time the image threads spent on this run's files.
    let imageSeconds = TimeTally()
    let logger: Logger

    /// Back-off before a failed URL is tried again: transient failures start at ten minutes,
    /// permanent ones (404, not an image, blocked…) at six hours; doubling per failed run, at
    /// most a week.
    static func retryDelay(failedRuns: Int, transient: Bool) -> Double {
        let base: Double = transient ? 600 : 6 * 3600
        return min(base * pow(2, Double(max(0, failedRuns - 1))), 7 * 86400)
    }

    /// `rewrite.variants` names thumbnails: stored copies then bring theirs along.
    let needsThumbnails: Bool

    /// What the manifest already has for `url`, when its file is still on disk.
    private func storedCopy(of url: String) -> MirroredURL? {
        guard let asset = manifest.storedCopy(of: url, in: store) else { return nil }
        var thumbnails: [ThumbnailRecord] = []
        if needsThumbnails {
            do {
                thumbnails = try manifest.thumbnails(of: asset.sha256)
            } catch {
                logger.warning("cannot read thumbnails", metadata: ["url": "\(url)", "error": "\(error)"])
            }
        }
        return MirroredURL(asset: asset, thumbnails: thumbnails, fetched: false, bytes: 0, thumbnailsMade: 0)
    }

    /// Reuses what the manifest already has when its file is still on disk; otherwise fetches
    /// the URL (then its proxy wrapper) unless its retry time or the circuit breaker says wait.
    func settle(_ target: ImageTarget) async -> SettledURL {
        if let stored = storedCopy(of: target.url) { return .mirrored(stored) }
        let previous: URLRecord?
        do {
            previous = try manifest.urlRecord(target.url)
        } catch {
            return .failed(.manifest, message: "cannot read \(target.url): \(error)")
        }
        if let deferred = deferral(of: target, previous: previous) { return deferred }
        // Hosts the breaker paused in this run are not asked: their URLs wait for the next run.
        let candidates = ([target.url] + (target.wrapper.map { [$0] } ?? [])).filter {
            !breaker.isOpen(HostBreaker.origin(of: $0))
        }
        var failures: [(candidate: String, failure: Failure)] = []
        var totalAttempts = 0
        for candidate in candidates {
            switch await fetchOvercomingRefusals(candidate) {
            case .success(let published):
                breaker.recordSuccess(HostBreaker.origin(of: candidate))
                return recordMirrored(target, via: candidate, published, attempts: totalAttempts + published.attempts)
            case .failure(let failure):
                noteForBreaker(failure, candidate: candidate)
                // An abandoned transfer says nothing about the URL: no failure is recorded.
                if failure.kind == .cancelled || Task.isCancelled {
                    return .failed(.cancelled, message: "cancelled")
                }
                // Neither does a full disk: the URL is tried again on the next run, and this run
                // starts no more downloads.
                if failure.kind == .diskFull {
                    diskFull.set()
                    return .failed(.diskFull, message: "\(candidate): \(failure.message)")
                }
                // Nor does a bucket that would not take the file: tried again on the next run.
                if failure.kind == .upload {
                    return .failed(.upload, message: "\(candidate): \(failure.message)")
                }
                totalAttempts += failure.attempts
                failures.append((candidate, failure))
                logger.info(
                    "fetch failed",
                    metadata: [
                        "url": "\(candidate)", "class": "\(failure.kind.rawValue)", "reason": "\(failure.message)",
                    ])
            }
        }
        var cause = Self.cause(failures, origin: target.url)
        var rescueChecked: Double?
        if let rescue, ArchiveRescue.mends(cause.kind, httpStatus: cause.httpStatus), !Task.isCancelled {
            switch await rescueFromArchives(target.url, rescue: rescue) {
            case .rescued(let published, let capture):
                return recordMirrored(
                    target, via: URLRecord.fetchedFromArchive, published, attempts: totalAttempts + published.attempts,
                    capture: capture)
            case .notRescued(let notes):
                cause.message += "; not in the archives (\(notes))"
                rescueChecked = Date().timeIntervalSince1970
            }
        }
        return recordFailure(
            target, previous: previous, cause, attempts: totalAttempts, rescueChecked: rescueChecked)
    }

    /// What a URL failed for: the origin's answer (a 410, HTML served as an image, a bad
    /// certificate), not the proxy wrapper's 404 after it; the wrapper's answer follows in the
    /// message as the second attempt.
    static func cause(_ failures: [(candidate: String, failure: Failure)], origin: String) -> Failure {
        guard let first = failures.first(where: { $0.candidate == origin }) ?? failures.first else {
            return Failure(kind: .other, message: "not attempted", attempts: 0, transient: true)
        }
        var cause = first.failure
        for other in failures where other.candidate != first.candidate {
            cause.message += "; then the proxy wrapper \(other.candidate): \(other.failure.message)"
        }
        return cause
    }

    /// Why `target` is not fetched in this run, if it is not: a failure whose retry time has
    /// not come, or every candidate's origin paused by the breaker.
    private func deferral(of target: ImageTarget, previous: URLRecord?) -> SettledURL? {
        if !retryFailed, let previous, previous.status == .failed, let next = previous.nextAttempt,
            next > Date().timeIntervalSince1970, !awaitsRescue(previous)
        {
            let when = Date(timeIntervalSince1970: next)
            return .deferred(
                FailureClass(stored: previous.failureClass),
                message: "\(previous.failureMessage ?? "failed") (next attempt after \(when); --retry-failed tries now)"
            )
        }
        let candidates = [target.url] + (target.wrapper.map { [$0] } ?? [])
        if candidates.allSatisfy({ breaker.isOpen(HostBreaker.origin(of: $0)) }) {
            return .deferred(
                .hostPaused,
                message: "\(HostBreaker.origin(of: target.url)) failed repeatedly in this run; tried next run")
        }
        return nil
    }

    /// A failure the archives were never asked about while rescue is on: tried now, not on
    /// the retry schedule, so turning rescue on (or `sync --rescue`) acts at once.
    private func awaitsRescue(_ previous: URLRecord) -> Bool {
        guard rescue != nil, previous.rescueChecked == nil else { return false }
        return ArchiveRescue.mends(FailureClass(stored: previous.failureClass), httpStatus: previous.httpStatus)
    }

    private func noteForBreaker(_ failure: Failure, candidate: String) {
        let origin = HostBreaker.origin(of: candidate)
        if failure.transient, failure.httpStatus != 404, failure.kind != .diskFull, failure.kind != .cancelled,
            breaker.recordTransientFailure(origin)
        {
            logger.warning(
                "origin paused for this run after \(breaker.threshold) failures in a row",
                metadata: ["host": "\(origin)"])
        }
    }

    private func recordMirrored(
        _ target: ImageTarget, via candidate: String, _ published: Published, attempts: Int,
        capture: ArchiveCapture? = nil
    ) -> SettledURL {
        var record = URLRecord(
            url: target.url, wrapper: target.wrapper, status: .mirrored, fetchedVia: candidate,
            asset: published.asset.sha256, httpStatus: published.response.httpStatus, failureClass: nil,
            failureMessage: nil, attempts: attempts, etag: published.response.etag,
            lastModified: published.response.lastModified, lastChecked: Date().timeIntervalSince1970)
        record.archiveCapture = capture?.url
        record.capturedAt = capture?.capturedAt
        do {
            try manifest.recordMirrored(record, asset: published.asset, thumbnails: published.thumbnails)
        } catch {
            return .failed(.manifest, message: "cannot record \(target.url): \(error)")
        }
        return .mirrored(
            MirroredURL(
                asset: published.asset, thumbnails: published.thumbnails, fetched: true,
                bytes: published.response.bytes, thumbnailsMade: published.thumbnails.count))
    }

    /// Records a URL every candidate failed for, with its next attempt on the back-off schedule.
    private func recordFailure(
        _ target: ImageTarget, previous: URLRecord?, _ failure: Failure, attempts: Int, rescueChecked: Double? = nil
    ) -> SettledURL {
        var record = URLRecord(
            url: target.url, wrapper: target.wrapper, status: .failed, fetchedVia: nil, asset: nil,
            httpStatus: failure.httpStatus, failureClass: failure.kind.rawValue, failureMessage: failure.message,
            attempts: attempts, etag: nil, lastModified: nil, lastChecked: Date().timeIntervalSince1970)
        record.rescueChecked = rescueChecked
        record.failedRuns = (previous?.status == .failed ? previous?.failedRuns ?? 0 : 0) + 1
        record.nextAttempt =
            Date().timeIntervalSince1970 + Self.retryDelay(failedRuns: record.failedRuns, transient: failure.transient)
        do {
            try manifest.recordFailure(record)
        } catch {
            logger.error("cannot record a failed URL", metadata: ["url": "\(target.url)", "error": "\(error)"])
        }
        return .failed(failure.kind, message: failure.message)
    }

    struct Published {
        var response: FetchResponse
        var asset: AssetRecord
        var thumbnails: [ThumbnailRecord]
        var attempts: Int
    }

    struct Failure: Error {
        var kind: FailureClass
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
    ) -> Result<Processed, Failure> {
        // The download is probed from its first bytes and decoded straight from the file: an
        // image worker holds rows, not whole files.
        guard let image = try? ImageFile(descriptor: descriptor), image.size == response.bytes else {
            return .failure(
                Failure(kind: .localError, message: "the downloaded file cannot be read back", attempts: attempts))
        }
        let probe: ImageProbe
        do {
            probe = try image.probe()
        } catch {
            return .failure(Failure(kind: FailureClass(error), message: error.description, attempts: attempts))
        }
        let relativePath = ContentStore.originalPath(sha256: response.sha256, fileExtension: probe.format.fileExtension)
        do {
            try AtomicFile.flush(descriptor, path: temporary)
        } catch {
            return .failure(
                Failure(kind: error.isDiskFull ? .diskFull : .localError, message: "\(error)", attempts: attempts))
        }
        // The same bytes under another URL: its thumbnails are already made.
        if let known = reusableThumbnails(of: response.sha256, originalPath: relativePath, probe: probe) {
            do {
                let staged = try store.stage(
                    original: temporary, as: relativePath, sha256: response.sha256, thumbnails: [])
                return .success(Processed(probe: probe, path: relativePath, thumbnails: known, staged: staged))
            } catch {
                return .failure(Failure(error, attempts: attempts))
            }
        }
        var made: [StagedThumbnail] = []
        do throws(ImagingError) {
            let thumbnails: [Thumbnail]
            do {
                thumbnails = try thumbnailer.thumbnails(of: image, probe: probe, widths: plan.widths)
            } catch ImagingError.unsupported(let reason) {
                logger.debug("no thumbnail", metadata: ["url": "\(url)", "reason": "\(reason)"])
                thumbnails = []
            }
            made = thumbnails.map { StagedThumbnail(record: $0.record(of: response.sha256), bytes: $0.bytes) }
        } catch {
            return .failure(Failure(kind: FailureClass(error), message: error.description, attempts: attempts))
        }
        do {
            let staged = try store.stage(
                original: temporary, as: relativePath, sha256: response.sha256, thumbnails: made)
            return .success(Processed(probe: probe, path: relativePath, thumbnails: made.map(\.record), staged: staged))
        } catch {
            return .failure(Failure(error, attempts: attempts))
        }
    }

    /// A download checked, thumbnailed and handed to the store.
    struct Processed {
        var probe: ImageProbe
        var path: String
        var thumbnails: [ThumbnailRecord]
        var staged: StagedFiles
    }

    /// The thumbnails of an asset already stored (original and every configured width on disk).
    private func reusableThumbnails(of sha256: String, originalPath: String, probe: ImageProbe) -> [ThumbnailRecord]? {
        guard store.holds(originalPath), (try? manifest.asset(sha256)) != nil,
            let thumbnails = try? manifest.thumbnails(of: sha256)
        else { return nil }
        let reusable = thumbnails.filter { store.holds($0.path) }
        return plan.isComplete(reusable, displayedWidth: probe.displayedWidth) ? reusable : nil
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

    /// Fetches `url`; when a host without a Referer rule refuses it (401, 403, a placeholder),
    /// tries again with the Referers hotlink protection expects, the learned one first. The
    /// failure kept is the first refusal, the others follow in its message.
    private func fetchOvercomingRefusals(_ url: String) async -> Result<Published, Failure> {
        let plan: [RefererChoice] =
            headerPolicy.decidesReferer(for: url)
            ? [.none] : referers.plan(for: url, hasSite: !headerPolicy.siteURL.isEmpty)
        var refusal: Failure?
        var attempts = 0
        for (index, choice) in plan.enumerated() {
            switch await fetchAndPublish(url, headers: headerPolicy.headers(for: url, referer: choice)) {
            case .success(var published):
                published.attempts += attempts
                if index > 0 { referers.learn(choice, for: url) }
                return .success(published)
            case .failure(let failure):
                attempts += failure.attempts
                var kept = failure
                if var first = refusal {
                    first.message += "; with Referer \(choice.rawValue): \(failure.message)"
                    kept = first
                }
                kept.attempts = attempts
                refusal = kept
                let refused = failure.httpStatus == 401 || failure.httpStatus == 403 || failure.kind == .placeholder
                if !refused { return .failure(kept) }
            }
        }
        return .failure(refusal ?? Failure(kind: .other, message: "not attempted", attempts: 0, transient: true))
    }

    func fetchAndPublish(_ url: String, headers: [String]) async -> Result<Published, Failure> {
        let temporary: (path: String, descriptor: Int32)
        do {
            try AtomicFile.makeDirectories(store.scratch)
            temporary = try AtomicFile.createTemporary(in: store.scratch)
        } catch {
            return .failure(
                Failure(kind: error.isDiskFull ? .diskFull : .localError, message: "\(error)", attempts: 0))
        }
        var published = false
        defer {
            close(temporary.descriptor)
            if !published { unlink(temporary.path) }
        }
        let fetchStarted = ContinuousClock.now
        let outcome = await downloader.download(
            FetchRequest(url: url, headers: headers, descriptor: temporary.descriptor))
        recordFetch(url, outcome.result, since: fetchStarted)
        let response: FetchResponse
        switch outcome.result {
        case .failure(let failure):
            return .failure(Failure(failure, attempts: outcome.attempts))
        case .success(let success):
            response = success
        }
        // A "this image is not available" picture served with 200 is a failure, not a copy.
        if placeholders.contains(response.sha256) {
            return .failure(
                Failure(
                    kind: .placeholder,
                    message: "the server sent a known placeholder image (sha256 \(response.sha256)), not the image",
                    httpStatus: response.httpStatus, attempts: outcome.attempts))
        }
        // Decoding, resampling, encoding and the fsyncs: on the image threads, never on the
        // cooperative pool.
        let processed: Result<Processed, Failure>
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
                Failure(kind: .cancelled, message: "the image workers stopped", attempts: outcome.attempts))
        }
        let done: Processed
        switch processed {
        case .failure(let failure): return .failure(failure)
        case .success(let success): done = success
        }
        published = done.staged.tookTemporary
        // A bucket uploads here, on the cooperative pool: the image thread is free again.
        do {
            try await store.commit(done.staged)
        } catch {
            if error.storeUnavailable { storeUnavailable.set() }
            return .failure(Failure(error, attempts: outcome.attempts))
        }
        let (probe, relativePath, thumbnailRecords) = (done.probe, done.path, done.thumbnails)
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

extension AssetPipeline.Failure {
    /// A store's failure: a full disk, or a bucket that did not take the file (`upload`,
    /// transient: the origin is fine, the next run uploads it).
    init(_ failure: MediaStoreFailure, attempts: Int) {
        if failure.isDiskFull {
            self.init(kind: .diskFull, message: failure.message, attempts: attempts)
        } else if failure.fromBucket {
            self.init(kind: .upload, message: failure.message, attempts: attempts, transient: true)
        } else {
            self.init(kind: .localError, message: failure.message, attempts: attempts)
        }
    }

    /// A download's failure as the pipeline records it.
    init(_ failure: FetchFailure, attempts: Int) {
        self.init(
            kind: FailureClass(failure.kind), message: failure.message, httpStatus: failure.httpStatus,
            attempts: attempts, transient: failure.isTransient)
    }
}
