import Crypto
import Dispatch
import Foundation
import Synchronization

/// Hashes download bodies on a thread of its own, reading back from the file what the transfer
/// thread has just written (from the page cache), so the transfer thread only moves bytes and
/// SHA-256 runs beside it on another core. Jobs run in order: a transfer's `finish` comes after
/// all of its chunks, and only then is its caller resumed (with the digest filled in).
final class BodyHasher: Sendable {
    enum Job: Sendable {
        case chunk(BodyDigest, offset: Int, count: Int)
        case finish(CurlTransfer, BodyDigest, Result<FetchResponse, FetchFailure>)
        case stop
    }

    private let jobs = Mutex(FIFO<Job>())
    private let available = DispatchSemaphore(value: 0)
    static let bufferSize = 256 * 1024

    init() {
        let thread = Thread { [self] in run() }
        thread.name = "mediamirror-hash"
        thread.start()
    }

    func enqueue(_ job: Job) {
        jobs.withLock { $0.append(job) }
        available.signal()
    }

    private func run() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            available.wait()
            guard let job = jobs.withLock({ $0.popFirst() }) else { continue }
            switch job {
            case .stop:
                return
            case .chunk(let digest, let offset, let count):
                hash(digest, offset: offset, count: count, buffer: buffer)
            case .finish(let transfer, let digest, var result):
                if case .success(var response) = result {
                    if let failure = digest.failure {
                        result = .failure(failure)
                    } else {
                        response.sha256 = digest.hasher.finalize().lowercaseHex
                        result = .success(response)
                    }
                }
                transfer.finish(result)
            }
        }
    }

    private func hash(_ digest: BodyDigest, offset: Int, count: Int, buffer: UnsafeMutableRawBufferPointer) {
        guard digest.failure == nil else { return }
        var done = 0
        while done < count {
            let wanted = min(buffer.count, count - done)
            let read = pread(digest.descriptor, buffer.baseAddress, wanted, off_t(offset + done))
            if read < 0, errno == EINTR { continue }
            guard read > 0 else {
                let reason = read < 0 ? String(cString: strerror(errno)) : "the file is shorter than what was written"
                digest.failure = FetchFailure(
                    kind: .localError, message: "reading the body back to hash it failed: \(reason)")
                return
            }
            digest.hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<read]))
            done += read
        }
    }
}
