internal import CCurlShims
import Foundation
import Synchronization

/// The thread that owns the multi handle. Other threads only touch `queue` (under its mutex) and
/// call `curl_multi_wakeup`, which is thread-safe; everything else happens on the loop thread.
final class CurlLoop: @unchecked Sendable {
    struct Queue {
        var transfers: HostFairQueue<CurlTransfer>
        var stopping = false
    }

    let policy: FetchPolicy
    let proxies: ProxySelector
    let bodyHasher: BodyHasher
    private let caBlob: [UInt8]?
    private let multi: UnsafeMutableRawPointer
    private let queue: Mutex<Queue>
    private let cancellationPending = Atomic<Bool>(false)
    /// Loop-thread only.
    private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(policy: FetchPolicy, proxies: ProxySelector, caBlob: [UInt8]?) throws(FetchFailure) {
        guard let multi = curl_multi_init() else {
            throw FetchFailure(kind: .localError, message: "curl_multi_init failed")
        }
        self.multi = multi
        // Started only once the multi handle exists: a failed init leaves no thread behind.
        self.bodyHasher = BodyHasher()
        self.queue = Mutex(Queue(transfers: HostFairQueue(limit: policy.concurrency, perHost: policy.perHost)))
        self.policy = policy
        self.proxies = proxies
        self.caBlob = caBlob
        _ = mm_curl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, policy.concurrency)
        _ = mm_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, policy.perHost)
        _ = mm_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, policy.concurrency * 2)
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    func submit(_ transfer: CurlTransfer) {
        let accepted = queue.withLock { queue -> Bool in
            guard !queue.stopping else { return false }
            queue.transfers.append(transfer, host: transfer.host)
            return true
        }
        if accepted {
            wake()
        } else {
            transfer.finish(.failure(FetchFailure(kind: .cancelled, message: "the client is shutting down")))
        }
    }

    func wake() {
        curl_multi_wakeup(multi)
    }

    /// A caller cancelled its transfer: the loop finishes cancelled waiting transfers at once
    /// instead of when their host's turn comes.
    func noteCancellation() {
        cancellationPending.store(true, ordering: .releasing)
        wake()
    }

    func stop() {
        queue.withLock { $0.stopping = true }
        wake()
    }

    // MARK: - Loop thread

    func run() {
        while true {
            var (starting, cancelled, stopping) = takeStartable()
            if cancellationPending.exchange(false, ordering: .acquiring) {
                cancelled += queue.withLock { queue in
                    queue.transfers.removeWaiting { $0.cancelled.load(ordering: .acquiring) }
                }
            }
            for transfer in cancelled {
                transfer.finish(.failure(FetchFailure(kind: .cancelled, message: "cancelled")))
            }
            for transfer in starting { start(transfer) }
            if stopping {
                cancelEverything()
                bodyHasher.enqueue(.stop)
                break
            }
            var completed = 0
            for (easy, transfer) in running where transfer.cancelled.load(ordering: .acquiring) {
                complete(easy, transfer, .failure(FetchFailure(kind: .cancelled, message: "cancelled")))
                completed += 1
            }
            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            var easy: UnsafeMutableRawPointer?
            var code = CURLE_OK
            while mm_curl_multi_next_done(multi, &easy, &code) == 1 {
                guard let easy, let transfer = running[easy] else { continue }
                complete(easy, transfer, result(of: transfer, code: code))
                completed += 1
            }
            // A finished transfer freed a slot: start the next waiting one now rather than after
            // the poll's timeout (nothing else would wake it when all work was queued up front).
            if completed == 0 {
                curl_multi_poll(multi, nil, 0, 1000, nil)
            }
        }
    }

    /// Takes waiting transfers while the global and per-host limits allow (hosts in turn), and
    /// the cancelled ones, which take no slot.
    private func takeStartable() -> (starting: [CurlTransfer], cancelled: [CurlTransfer], stopping: Bool) {
        queue.withLock { queue in
            var starting: [CurlTransfer] = []
            var cancelled: [CurlTransfer] = []
            while let (transfer, counted) = queue.transfers.next(skip: { $0.cancelled.load(ordering: .acquiring) }) {
                if counted { starting.append(transfer) } else { cancelled.append(transfer) }
            }
            return (starting, cancelled, queue.stopping)
        }
    }

    private func release(_ transfer: CurlTransfer) {
        queue.withLock { $0.transfers.finished(host: transfer.host) }
    }

    private func start(_ transfer: CurlTransfer) {
        if transfer.cancelled.load(ordering: .acquiring) {
            release(transfer)
            transfer.finish(.failure(FetchFailure(kind: .cancelled, message: "cancelled")))
            return
        }
        guard let easy = curl_easy_init() else {
            release(transfer)
            transfer.finish(.failure(FetchFailure(kind: .localError, message: "curl_easy_init failed")))
            return
        }
        // A retry reuses the file: start it empty. Only a file with bytes is truncated: on ext4 a
        // truncate marks the file for a forced writeback at close (auto_da_alloc), which would
        // cost every download a flush.
        var status = stat()
        let descriptor = transfer.request.descriptor
        if fstat(descriptor, &status) != 0
            || (status.st_size > 0 && ftruncate(descriptor, 0) != 0) || lseek(descriptor, 0, SEEK_SET) < 0
        {
            curl_easy_cleanup(easy)
            release(transfer)
            let reason = String(cString: strerror(errno))
            transfer.finish(
                .failure(FetchFailure(kind: .localError, message: "cannot reset the download file: \(reason)")))
            return
        }
        transfer.easy = easy
        transfer.started = .now
        configure(easy, for: transfer)
        guard curl_multi_add_handle(multi, easy) == CURLM_OK else {
            curl_easy_cleanup(easy)
            transfer.easy = nil
            release(transfer)
            transfer.finish(.failure(FetchFailure(kind: .localError, message: "curl_multi_add_handle failed")))
            return
        }
        running[easy] = transfer
    }

    private func configure(_ easy: UnsafeMutableRawPointer, for transfer: CurlTransfer) {
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        _ = mm_curl_easy_setopt_string(easy, CURLOPT_URL, transfer.request.url)
        _ = mm_curl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = mm_curl_easy_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        _ = mm_curl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 1)
        _ = mm_curl_easy_setopt_long(easy, CURLOPT_MAXREDIRS, policy.maxRedirects)
        _ = mm_curl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = mm_curl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT, policy.connectTimeout)
        _ = mm_curl_easy_setopt_long(easy, CURLOPT_TIMEOUT, policy.timeout)
        _ = mm_curl_easy_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, policy.lowSpeedLimit)
        _ = mm_curl_easy_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, policy.lowSpeedTime)
        _ = mm_curl_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(policy.maxBytes))
        _ = mm_curl_easy_setopt_string(easy, CURLOPT_USERAGENT, policy.userAgent)
        _ = mm_curl_easy_setopt_string(easy, CURLOPT_PROXY, transfer.proxy ?? "")
        _ = mm_curl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer)
        _ = mm_curl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        // Fewer, larger writes and hash updates than curl's 16 KB default (the curl tool uses 100 KB).
        _ = mm_curl_easy_setopt_long(easy, CURLOPT_BUFFERSIZE, 128 * 1024)
        // HTTP/2 over TLS when the server offers it (ALPN); concurrent https requests to a host
        // wait for its first connection to say whether it multiplexes instead of opening more.
        // Plain http never multiplexes here, and there the wait lasts until the first response
        // arrives: one slow image would hold every other request to its host.
        _ = mm_curl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        let secure = transfer.request.url.prefix(6).lowercased() == "https:"
        _ = mm_curl_easy_setopt_long(easy, CURLOPT_PIPEWAIT, secure ? 1 : 0)
        if let caBlob {
            caBlob.withUnsafeBytes { bytes in
                _ = mm_curl_easy_setopt_blob(easy, CURLOPT_CAINFO_BLOB, bytes.baseAddress, bytes.count)
            }
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for header in transfer.request.headers { list = curl_slist_append(list, header) }
        if let list {
            transfer.headerList = list
            _ = mm_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
        }
        _ = mm_curl_easy_setopt_write_function(easy) { data, size, count, context in
            guard let data, let context else { return 0 }
            return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().receiveBody(data, size * count)
        }
        _ = mm_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        _ = mm_curl_easy_setopt_header_function(easy) { data, size, count, context in
            guard let data, let context else { return 0 }
            return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().receiveHeader(data, size * count)
        }
        _ = mm_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
        _ = mm_curl_easy_setopt_opensocket_function(easy) { context, purpose, address in
            guard let context, let address else { return -1 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            if purpose == CURLSOCKTYPE_IPCXN, !transfer.permitsConnection(to: address) { return -1 }
            return mm_open_socket(address)
        }
        _ = mm_curl_easy_setopt_pointer(easy, CURLOPT_OPENSOCKETDATA, context)
    }

    private func complete(
        _ easy: UnsafeMutableRawPointer, _ transfer: CurlTransfer, _ result: Result<FetchResponse, FetchFailure>
    ) {
        curl_multi_remove_handle(multi, easy)
        curl_easy_cleanup(easy)
        transfer.easy = nil
        running[easy] = nil
        release(transfer)
        // Through the hasher, after the transfer's last chunk: the caller may close the file
        // once resumed.
        bodyHasher.enqueue(.finish(transfer, result))
    }

    private func cancelEverything() {
        for (easy, transfer) in running {
            complete(easy, transfer, .failure(FetchFailure(kind: .cancelled, message: "the client is shutting down")))
        }
        let pending = queue.withLock { $0.transfers.removeAllWaiting() }
        for transfer in pending {
            transfer.finish(.failure(FetchFailure(kind: .cancelled, message: "the client is shutting down")))
        }
    }

    private func result(of transfer: CurlTransfer, code: CURLcode) -> Result<FetchResponse, FetchFailure> {
        guard let easy = transfer.easy else {
            return .failure(FetchFailure(kind: .localError, message: "transfer has no handle"))
        }
        if let abort = transfer.abort { return .failure(abort) }
        if let blocked = transfer.blockedAddress {
            return .failure(
                FetchFailure(
                    kind: .blockedAddress,
                    message:
                        "\(blocked) is a loopback, private, link-local or multicast address (see fetch.allow_networks)")
            )
        }
        var status = 0
        _ = mm_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        guard code == CURLE_OK else {
            return .failure(
                CurlErrors.failure(for: code, detail: String(cString: transfer.errorBuffer), status: status))
        }
        guard (200...299).contains(status) else {
            return .failure(
                FetchFailure(
                    kind: .httpStatus, message: "server answered \(status)", httpStatus: status,
                    retryAfter: transfer.retryAfter))
        }
        var effective: UnsafePointer<CChar>?
        _ = mm_curl_easy_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &effective)
        var version = 0
        _ = mm_curl_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
        let elapsed = (ContinuousClock.now - transfer.started).components
        return .success(
            FetchResponse(
                url: transfer.request.url,
                effectiveURL: effective.map { String(cString: $0) } ?? transfer.request.url,
                httpStatus: status,
                bytes: transfer.written,
                sha256: "",  // filled in by the body hasher
                contentType: transfer.contentType,
                etag: transfer.etag,
                lastModified: transfer.lastModified,
                seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18,
                httpVersion: Self.versionName(version)
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
