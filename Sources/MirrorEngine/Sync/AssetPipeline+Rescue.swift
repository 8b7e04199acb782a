import Foundation
import Logging
import MirrorConfig
import MirrorFetch
import MirrorStore

/// Archive rescue: a URL whose origin lost the image is looked up in each archive in turn, and
/// the closest capture's raw bytes go through the same checks, store and thumbnails as any
/// download. Every request to an archive host passes its politeness gate.
extension AssetPipeline {
    enum RescueOutcome {
        case rescued(Published, ArchiveCapture)
        /// What each archive said, for the failure's message.
        case notRescued(String)
    }

    func rescueFromArchives(_ url: String, rescue: ArchiveRescue) async -> RescueOutcome {
        let date = rescue.dates[url] ?? Date().timeIntervalSince1970
        var notes: [String] = []
        for archive in rescue.archives {
            if Task.isCancelled { break }
            let outcome: Result<(Published, ArchiveCapture), Failure>
            switch archive.kind {
            case .wayback: outcome = await rescueFromWayback(url, date: date, archive: archive, gate: rescue.gate)
            case .memento: outcome = await rescueFromMemento(url, date: date, archive: archive, gate: rescue.gate)
            }
            switch outcome {
            case .success(let (published, capture)):
                logger.info(
                    "rescued from an archive", metadata: ["url": "\(url)", "capture": "\(capture.url)"])
                return .rescued(published, capture)
            case .failure(let failure):
                notes.append("\(archive.text): \(failure.message)")
            }
        }
        return .notRescued(notes.joined(separator: "; "))
    }

    private func rescueFromWayback(
        _ url: String, date: Double, archive: ArchiveEndpoint, gate: ArchiveGate
    ) async -> Result<(Published, ArchiveCapture), Failure> {
        let query = WaybackAvailability.query(endpoint: archive.url, url: url, date: date)
        let answer = await gate.run(host: HostBreaker.origin(of: query)) { await fetchBytes(query) }
        let capture: ArchiveCapture
        switch answer {
        case .failure(let failure): return .failure(failure)
        case .success(let bytes):
            switch WaybackAvailability.capture(fromAnswer: bytes) {
            case .none: return .failure(Failure(kind: .other, message: "no capture", attempts: 0))
            case .unreadable(let reason): return .failure(Failure(kind: .other, message: reason, attempts: 0))
            case .capture(let found): capture = found
            }
        }
        let fetched = await gate.run(host: HostBreaker.origin(of: capture.url)) {
            await fetchAndPublish(capture.url, headers: [])
        }
        switch fetched {
        case .success(let published): return .success((published, capture))
        case .failure(var failure):
            failure.message = "capture \(capture.url): \(failure.message)"
            return .failure(failure)
        }
    }

    /// An RFC 7089 TimeGate redirects to the memento closest to `Accept-Datetime`, which says
    /// when it was captured in `Memento-Datetime`.
    private func rescueFromMemento(
        _ url: String, date: Double, archive: ArchiveEndpoint, gate: ArchiveGate
    ) async -> Result<(Published, ArchiveCapture), Failure> {
        let timeGate = archive.url + url
        let fetched = await gate.run(host: HostBreaker.origin(of: timeGate)) {
            await fetchAndPublish(timeGate, headers: ["Accept-Datetime: \(HTTPDate.format(date))"])
        }
        switch fetched {
        case .success(let published):
            let capture = ArchiveCapture(
                url: published.response.effectiveURL,
                capturedAt: published.response.mementoDatetime.flatMap(HTTPDate.parse))
            return .success((published, capture))
        case .failure(var failure):
            if failure.httpStatus == 404 { failure.message = "no capture" }
            return .failure(failure)
        }
    }

    /// A small answer (an archive's JSON) read whole; the file is only the transfer's buffer.
    private func fetchBytes(_ url: String) async -> Result<[UInt8], Failure> {
        let temporary: (path: String, descriptor: Int32)
        do {
            temporary = try AtomicFile.createTemporary(in: store.scratch)
        } catch {
            return .failure(Failure(kind: .localError, message: "\(error)", attempts: 0))
        }
        defer {
            close(temporary.descriptor)
            unlink(temporary.path)
        }
        let outcome = await downloader.download(FetchRequest(url: url, descriptor: temporary.descriptor))
        switch outcome.result {
        case .failure(let failure):
            return .failure(Failure(failure, attempts: outcome.attempts))
        case .success:
            guard let bytes = FileBytes.read(temporary.path) else {
                return .failure(Failure(kind: .localError, message: "cannot read the answer back", attempts: 0))
            }
            return .success(bytes)
        }
    }
}
