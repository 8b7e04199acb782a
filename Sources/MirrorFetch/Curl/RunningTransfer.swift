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
    /// Every header of the last response, when the request keeps response details.
    private(set) var headers: [String: String] = [:]
    /// The start of an error answer's body, when the request keeps response details.
    private var errorBody: [UInt8] = []
    /// How far a PUT's body has been handed to curl.
    private var uploaded = 0
    let started = ContinuousClock.now
    static let errorBodyLimit = 16 * 1024

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

    /// curl's read callback: the next bytes of a PUT's body into `buffer`; 0 at the end.
    static func send(
        _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ context: UnsafeMutableRawPointer?
    )
        -> Int
    {
        guard let buffer, let context else { return Int(CURL_READFUNC_ABORT) }
        return of(context).sendBody(buffer, capacity)
    }

    /// curl's seek callback: a reused connection that died makes curl send the body again.
    static func rewind(_ context: UnsafeMutableRawPointer?, _ offset: curl_off_t, _ origin: Int32) -> Int32 {
        guard let context, origin == SEEK_SET, offset >= 0 else { return Int32(CURL_SEEKFUNC_CANTSEEK) }
        let active = of(context)
        guard Int(offset) <= active.transfer.request.upload?.size ?? 0 else { return Int32(CURL_SEEKFUNC_FAIL) }
        active.uploaded = Int(offset)
        return Int32(CURL_SEEKFUNC_OK)
    }

    func sendBody(_ buffer: UnsafeMutablePointer<CChar>, _ capacity: Int) -> Int {
        guard let upload = transfer.request.upload else { return 0 }
        let wanted = min(capacity, upload.size - uploaded)
        guard wanted > 0 else { return 0 }
        switch upload {
        case .bytes(let bytes):
            bytes.withUnsafeBytes { source in
                guard let base = source.baseAddress else { return }
                UnsafeMutableRawPointer(buffer).copyMemory(from: base + uploaded, byteCount: wanted)
            }
            uploaded += wanted
            return wanted
        case .file(let descriptor, _):
            while true {
                let read = pread(descriptor, buffer, wanted, off_t(uploaded))
                if read < 0, errno == EINTR { continue }
                guard read > 0 else {
                    let reason = read < 0 ? String(cString: strerror(errno)) : "the file is shorter than its size"
                    abort = FetchFailure(kind: .localError, message: "reading the upload failed: \(reason)")
                    return Int(CURL_READFUNC_ABORT)
                }
                uploaded += read
                return read
            }
        }
    }

    func receiveBody(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        if transfer.request.descriptor < 0 || transfer.request.method != .get {
            // A body nobody asked for: only an error answer's start is kept.
            if transfer.request.keepsResponseDetails, handle.info(CURLINFO_RESPONSE_CODE) >= 300 {
                let room = max(0, Self.errorBodyLimit - errorBody.count)
                errorBody += UnsafeRawBufferPointer(start: data, count: min(room, count))
            }
            return count
        }
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
            headers = [:]
            return count
        }
        guard let colon = line.firstIndex(of: ":") else { return count }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        if transfer.request.keepsResponseDetails { headers[name] = value }
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
                    kind: .httpStatus, message: "server answered \(status)", httpStatus: status, retryAfter: retryAfter,
                    responseBody: errorBody.isEmpty ? nil : String(decoding: errorBody, as: UTF8.self))
            )
        }
        let elapsed = (ContinuousClock.now - started).components
        var response = FetchResponse(
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
        )
        response.headers = headers
        return .success(response)
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
