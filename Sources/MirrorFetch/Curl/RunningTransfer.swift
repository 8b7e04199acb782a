internal import CCurlShims
import Foundation

/// A transfer handed to curl: its easy handle and everything curl's callbacks and the loop
/// learn while it runs. Created, called back and dropped on the curl thread only; dropping it
/// (after the handle left the multi handle) frees the handle.
final class RunningTransfer {
    let transfer: CurlTransfer
    let handle: CurlEasyHandle
    let digest: BodyDigest
    private let bodyHasher: BodyHasher
    private let addressPolicy: AddressPolicy
    private let maxBytes: Int
    private(set) var written = 0
    private(set) var abort: FetchFailure?
    private(set) var blockedAddress: String?
    private var statusChecked = false
    private(set) var contentType: String?
    private(set) var etag: String?
    private(set) var lastModified: String?
    private(set) var mementoDatetime: String?
    private(set) var retryAfter: Double?
    let started = ContinuousClock.now

    init(_ transfer: CurlTransfer, policy: FetchPolicy, bodyHasher: BodyHasher) throws(FetchFailure) {
        self.transfer = transfer
        self.bodyHasher = bodyHasher
        addressPolicy = policy.addressPolicy
        maxBytes = policy.maxBytes
        handle = try CurlEasyHandle()
        digest = BodyDigest(descriptor: transfer.request.descriptor)
    }

    // MARK: - Called from curl callbacks

    /// The transfer a callback's context pointer names (set with `Unmanaged.passUnretained`).
    static func of(_ context: UnsafeMutableRawPointer) -> RunningTransfer {
        Unmanaged<RunningTransfer>.fromOpaque(context).takeUnretainedValue()
    }

    /// Which part of the response a data callback carries.
    enum Stream {
        case body, header
    }

    /// curl's write and header callbacks: `count` bytes of `stream` for the transfer behind
    /// `context`. curl never passes null pointers; taking nothing (0) would abort the transfer.
    static func receive(
        _ stream: Stream, _ data: UnsafeMutablePointer<CChar>?, _ count: Int, _ context: UnsafeMutableRawPointer?
    ) -> Int {
        guard let data, let context else { return 0 }
        let active = of(context)
        switch stream {
        case .body: return active.receiveBody(data, count)
        case .header: return active.receiveHeader(data, count)
        }
    }

    func receiveBody(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        if !statusChecked {
            let status = handle.info(CURLINFO_RESPONSE_CODE)
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
            let result = Glibc.write(transfer.request.descriptor, data + offset, count - offset)
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
        bodyHasher.enqueue(.chunk(digest, offset: written, count: count))
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
            mementoDatetime = nil
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
        case "memento-datetime": mementoDatetime = value
        case "retry-after": retryAfter = RetryAfter.seconds(from: value, now: Date())
        default: break
        }
        return count
    }

    /// Decides whether curl may connect to `address`; direct connections only, since a proxy
    /// the operator configured is trusted.
    func permitsConnection(to address: UnsafeMutablePointer<curl_sockaddr>) -> Bool {
        guard transfer.proxy == nil else { return true }
        var text = [CChar](repeating: 0, count: 64)
        var family: Int32 = 0
        guard mm_sockaddr_describe(address, &text, text.count, &family) == 0 else { return true }
        let description = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let bytes = NetworkRange.parseAddress(description) else { return true }
        if addressPolicy.permits(bytes) { return true }
        blockedAddress = description
        return false
    }

    // MARK: - The outcome

    /// What the transfer came to, once curl reported it done with `code`.
    func result(code: CURLcode) -> Result<FetchResponse, FetchFailure> {
        if let abort { return .failure(abort) }
        if let blockedAddress {
            return .failure(
                FetchFailure(
                    kind: .blockedAddress,
                    message:
                        "\(blockedAddress) is a loopback, private, link-local or multicast address (see fetch.allow_networks)"
                ))
        }
        let status = handle.info(CURLINFO_RESPONSE_CODE)
        guard code == CURLE_OK else {
            return .failure(CurlErrors.failure(for: code, detail: handle.errorDetail, status: status))
        }
        guard (200...299).contains(status) else {
            return .failure(
                FetchFailure(
                    kind: .httpStatus, message: "server answered \(status)", httpStatus: status, retryAfter: retryAfter)
            )
        }
        let elapsed = (ContinuousClock.now - started).components
        return .success(
            FetchResponse(
                url: transfer.request.url,
                effectiveURL: handle.info(string: CURLINFO_EFFECTIVE_URL) ?? transfer.request.url,
                httpStatus: status,
                bytes: written,
                sha256: "",  // filled in by the body hasher
                contentType: contentType,
                etag: etag,
                lastModified: lastModified,
                seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18,
                httpVersion: Self.versionName(handle.info(CURLINFO_HTTP_VERSION)),
                mementoDatetime: mementoDatetime
            ))
    }

    private static func versionName(_ version: Int) -> String {
        switch version {
        case Int(CURL_HTTP_VERSION_1_0): return "1.0"
        case Int(CURL_HTTP_VERSION_2_0): return "2"
        case Int(CURL_HTTP_VERSION_3): return "3"
        default: return "1.1"
        }
    }
}
