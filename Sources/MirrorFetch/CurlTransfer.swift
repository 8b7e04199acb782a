internal import CCurlShims
import Crypto
import Foundation
import Synchronization

/// The state of one transfer. Everything but `cancelled`, the continuation, `hasher` and
/// `hashFailure` is touched only on the client's thread (inside curl callbacks or the loop);
/// `hasher` and `hashFailure` only on the body hasher's thread. Hence `@unchecked Sendable`.
final class CurlTransfer: @unchecked Sendable {
    let request: FetchRequest
    let host: String
    let proxy: String?
    let addressPolicy: AddressPolicy
    let maxBytes: Int
    let cancelled = Atomic<Bool>(false)
    private let continuation = Mutex<CheckedContinuation<Result<FetchResponse, FetchFailure>, Never>?>(nil)

    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    var hasher = SHA256()
    var hashFailure: FetchFailure?
    let bodyHasher: BodyHasher
    var written = 0
    var abort: FetchFailure?
    var blockedAddress: String?
    var statusChecked = false
    var contentType: String?
    var etag: String?
    var lastModified: String?
    var retryAfter: Double?
    var started = ContinuousClock.now

    init(
        request: FetchRequest, host: String, proxy: String?, addressPolicy: AddressPolicy, maxBytes: Int,
        bodyHasher: BodyHasher
    ) {
        self.request = request
        self.bodyHasher = bodyHasher
        self.host = host
        self.proxy = proxy
        self.addressPolicy = addressPolicy
        self.maxBytes = maxBytes
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        errorBuffer.deallocate()
        if let headerList { curl_slist_free_all(headerList) }
    }

    /// Installs the continuation `finish` resumes.
    func install(_ waiter: CheckedContinuation<Result<FetchResponse, FetchFailure>, Never>) {
        continuation.withLock { $0 = waiter }
    }

    /// Resumes the waiting caller exactly once; later calls do nothing.
    func finish(_ result: Result<FetchResponse, FetchFailure>) {
        let waiter = continuation.withLock {
            stored -> CheckedContinuation<Result<FetchResponse, FetchFailure>, Never>? in
            defer { stored = nil }
            return stored
        }
        waiter?.resume(returning: result)
    }

    // MARK: - Called from curl callbacks

    func receiveBody(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        if !statusChecked, let easy {
            var status = 0
            _ = mm_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            if status >= 300 {
                // An error page is not worth downloading: stop at its first byte.
                abort = FetchFailure(
                    kind: .httpStatus, message: "server answered \(status)", httpStatus: status, retryAfter: retryAfter)
                return 0
            }
            statusChecked = true
        }
        if written + count > maxBytes {
            abort = FetchFailure(kind: .tooLarge, message: "body exceeds fetch.max_bytes (\(maxBytes) bytes)")
            return 0
        }
        var offset = 0
        while offset < count {
            let result = Glibc.write(request.descriptor, data + offset, count - offset)
            if result < 0 {
                if errno == EINTR { continue }
                let code = errno
                abort = FetchFailure(
                    kind: .localWrite(errno: code),
                    message: "writing the body failed: \(String(cString: strerror(code)))")
                return 0
            }
            offset += result
        }
        bodyHasher.enqueue(.chunk(self, offset: written, count: count))
        written += count
        return count
    }

    func receiveHeader(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new response (after a redirect or a 100 Continue): forget the previous headers.
            contentType = nil
            etag = nil
            lastModified = nil
            retryAfter = nil
            return count
        }
        guard let colon = line.firstIndex(of: ":") else { return count }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        switch name {
        case "content-type": contentType = value
        case "etag": etag = value
        case "last-modified": lastModified = value
        case "retry-after": retryAfter = RetryAfter.seconds(from: value, now: Date())
        default: break
        }
        return count
    }

    /// Decides whether curl may connect to `address`; direct connections only, since a proxy
    /// the operator configured is trusted.
    func permitsConnection(to address: UnsafeMutablePointer<curl_sockaddr>) -> Bool {
        guard proxy == nil else { return true }
        var text = [CChar](repeating: 0, count: 64)
        var family: Int32 = 0
        guard mm_sockaddr_describe(address, &text, text.count, &family) == 0 else { return true }
        let description = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let bytes = NetworkRange.parseAddress(description) else { return true }
        if addressPolicy.permits(bytes) { return true }
        blockedAddress = description
        return false
    }
}
