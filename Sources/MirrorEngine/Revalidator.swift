import Foundation
import Logging
import Metrics
import MirrorFetch
import MirrorStore

/// Asks the origins of mirrored images, again after a while, whether they still serve them:
/// a conditional request (If-None-Match / If-Modified-Since from what the first download
/// recorded); 304 or 200 means alive, 404 or 410 marks the origin gone since then (the local
/// copy stays and the post keeps pointing at it: that is the point of mirroring). Anything else
/// (a timeout, a 5xx) says nothing and is asked again next time.
struct Revalidator: Sendable {
    let client: CurlMultiClient
    let manifest: Manifest
    let store: any MediaStore
    let headerPolicy: HeaderPolicy
    let logger: Logger

    struct Outcome: Sendable {
        var checked = 0
        var alive = 0
        var gone = 0
        var inconclusive = 0
    }

    enum Verdict: Sendable {
        case alive, gone, inconclusive
    }

    private func record(_ url: String, checkedAt: Double, goneSince: Double?) {
        do {
            try manifest.recordRevalidation(url, checkedAt: checkedAt, goneSince: goneSince)
        } catch {
            logger.warning("cannot record a revalidation", metadata: ["url": "\(url)", "error": "\(error)"])
        }
    }

    func run(olderThan seconds: Double, limit: Int, concurrency: Int) async -> Outcome {
        let now = Date().timeIntervalSince1970
        let due: [URLRecord]
        do {
            due = try manifest.urlsToRevalidate(checkedBefore: now - seconds, limit: limit)
        } catch {
            logger.warning("revalidation skipped: cannot read the manifest: \(error)")
            return Outcome()
        }
        var outcome = Outcome()
        await withTaskGroup(of: (URLRecord, Verdict).self) { group in
            var iterator = due.makeIterator()
            for _ in 0..<max(1, concurrency) {
                guard let record = iterator.next() else { break }
                group.addTask { (record, await check(record)) }
            }
            while let (record, verdict) = await group.next() {
                outcome.checked += 1
                let checkedAt = Date().timeIntervalSince1970
                switch verdict {
                case .alive:
                    outcome.alive += 1
                    self.record(record.url, checkedAt: checkedAt, goneSince: nil)
                case .gone:
                    outcome.gone += 1
                    if record.goneSince == nil {
                        logger.notice("origin gone; the local copy stays", metadata: ["url": "\(record.url)"])
                    }
                    self.record(record.url, checkedAt: checkedAt, goneSince: record.goneSince ?? checkedAt)
                case .inconclusive:
                    outcome.inconclusive += 1
                }
                Counter(label: "mediamirror_revalidations_total", dimensions: [("outcome", "\(verdict)")]).increment()
                if !Task.isCancelled, let next = iterator.next() {
                    group.addTask { (next, await check(next)) }
                }
            }
        }
        return outcome
    }

    private func check(_ record: URLRecord) async -> Verdict {
        var headers = headerPolicy.headers(for: record.url)
        if let etag = record.etag, !etag.isEmpty { headers.append("If-None-Match: \(etag)") }
        if let lastModified = record.lastModified, !lastModified.isEmpty {
            headers.append("If-Modified-Since: \(lastModified)")
        }
        let temporary: (path: String, descriptor: Int32)
        do {
            temporary = try AtomicFile.createTemporary(in: store.scratch)
        } catch {
            return .inconclusive
        }
        defer {
            close(temporary.descriptor)
            unlink(temporary.path)
        }
        let result = await client.fetch(
            FetchRequest(url: record.url, headers: headers, descriptor: temporary.descriptor))
        switch result {
        case .success:
            return .alive
        case .failure(let failure) where failure.kind == .httpStatus:
            switch failure.httpStatus {
            case 304: return .alive
            case 404, 410: return .gone
            default: return .inconclusive
            }
        case .failure:
            return .inconclusive
        }
    }
}
