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
    /// Loop-thread only: the transfers curl runs, by their easy handle.
    private var running: [UnsafeMutableRawPointer: RunningTransfer] = [:]

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
            for (easy, active) in running where active.transfer.cancelled.load(ordering: .acquiring) {
                complete(easy, active, .failure(FetchFailure(kind: .cancelled, message: "cancelled")))
                completed += 1
            }
            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            var easy: UnsafeMutableRawPointer?
            var code = CURLE_OK
            while mm_curl_multi_next_done(multi, &easy, &code) == 1 {
                guard let easy, let active = running[easy] else { continue }
                complete(easy, active, active.result(code: code))
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
        do throws(FetchFailure) {
            if transfer.request.descriptor >= 0 { try resetFile(transfer.request.descriptor) }
            let active = try RunningTransfer(transfer, policy: policy, bodyHasher: bodyHasher)
            try configure(active)
            guard curl_multi_add_handle(multi, active.handle.raw) == CURLM_OK else {
                throw FetchFailure(kind: .localError, message: "curl_multi_add_handle failed")
            }
            running[active.handle.raw] = active
        } catch {
            release(transfer)
            transfer.finish(.failure(error))
        }
    }

    /// A retry reuses the file: start it empty. Only a file with bytes is truncated: on ext4 a
    /// truncate marks the file for a forced writeback at close (auto_da_alloc), which would
    /// cost every download a flush.
    private func resetFile(_ descriptor: Int32) throws(FetchFailure) {
        var status = stat()
        if fstat(descriptor, &status) != 0
            || (status.st_size > 0 && ftruncate(descriptor, 0) != 0) || lseek(descriptor, 0, SEEK_SET) < 0
        {
            let reason = String(cString: strerror(errno))
            throw FetchFailure(kind: .localError, message: "cannot reset the download file: \(reason)")
        }
    }

    private func configure(_ active: RunningTransfer) throws(FetchFailure) {
        let handle = active.handle
        let transfer = active.transfer
        let context = Unmanaged.passUnretained(active).toOpaque()
        handle.set(CURLOPT_URL, transfer.request.url, "CURLOPT_URL")
        handle.set(CURLOPT_PROTOCOLS_STR, "http,https", "CURLOPT_PROTOCOLS_STR")
        handle.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https", "CURLOPT_REDIR_PROTOCOLS_STR")
        handle.set(CURLOPT_FOLLOWLOCATION, 1, "CURLOPT_FOLLOWLOCATION")
        handle.set(CURLOPT_MAXREDIRS, policy.maxRedirects, "CURLOPT_MAXREDIRS")
        handle.set(CURLOPT_NOSIGNAL, 1, "CURLOPT_NOSIGNAL")
        handle.set(CURLOPT_CONNECTTIMEOUT, policy.connectTimeout, "CURLOPT_CONNECTTIMEOUT")
        handle.set(CURLOPT_TIMEOUT, policy.timeout, "CURLOPT_TIMEOUT")
        handle.set(CURLOPT_LOW_SPEED_LIMIT, policy.lowSpeedLimit, "CURLOPT_LOW_SPEED_LIMIT")
        handle.set(CURLOPT_LOW_SPEED_TIME, policy.lowSpeedTime, "CURLOPT_LOW_SPEED_TIME")
        handle.set(CURLOPT_MAXFILESIZE_LARGE, offset: curl_off_t(policy.maxBytes), "CURLOPT_MAXFILESIZE_LARGE")
        handle.set(CURLOPT_USERAGENT, policy.userAgent, "CURLOPT_USERAGENT")
        handle.set(CURLOPT_PROXY, transfer.proxy ?? "", "CURLOPT_PROXY")
        handle.set(CURLOPT_TCP_KEEPALIVE, 1, "CURLOPT_TCP_KEEPALIVE")
        // Fewer, larger writes and hash updates than curl's 16 KB default (the curl tool uses 100 KB).
        handle.set(CURLOPT_BUFFERSIZE, 128 * 1024, "CURLOPT_BUFFERSIZE")
        // HTTP/2 over TLS when the server offers it (ALPN); concurrent https requests to a host
        // wait for its first connection to say whether it multiplexes instead of opening more.
        // Plain http never multiplexes here, and there the wait lasts until the first response
        // arrives: one slow image would hold every other request to its host.
        handle.set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS), "CURLOPT_HTTP_VERSION")
        let secure = transfer.request.url.prefix(6).lowercased() == "https:"
        handle.set(CURLOPT_PIPEWAIT, secure ? 1 : 0, "CURLOPT_PIPEWAIT")
        if let caBlob { handle.set(blob: CURLOPT_CAINFO_BLOB, caBlob, "CURLOPT_CAINFO_BLOB") }
        var headers = transfer.request.headers
        switch transfer.request.method {
        case .get: break
        case .head: handle.set(CURLOPT_NOBODY, 1, "CURLOPT_NOBODY")
        case .delete: handle.set(CURLOPT_CUSTOMREQUEST, "DELETE", "CURLOPT_CUSTOMREQUEST")
        case .put:
            handle.set(CURLOPT_UPLOAD, 1, "CURLOPT_UPLOAD")
            let size = transfer.request.upload?.size ?? 0
            handle.set(CURLOPT_INFILESIZE_LARGE, offset: curl_off_t(size), "CURLOPT_INFILESIZE_LARGE")
            handle.note(
                mm_curl_easy_setopt_read_function(handle.raw) { RunningTransfer.send($0, $1 * $2, $3) },
                "CURLOPT_READFUNCTION")
            handle.set(CURLOPT_READDATA, pointer: context, "CURLOPT_READDATA")
            handle.note(
                mm_curl_easy_setopt_seek_function(handle.raw) { RunningTransfer.rewind($0, $1, $2) },
                "CURLOPT_SEEKFUNCTION")
            handle.set(CURLOPT_SEEKDATA, pointer: context, "CURLOPT_SEEKDATA")
            // No "Expect: 100-continue" round trip before every body: the server answers after it.
            headers.append("Expect:")
        }
        handle.setHeaders(headers)
        handle.note(
            mm_curl_easy_setopt_write_function(handle.raw) { RunningTransfer.receive(.body, $0, $1 * $2, $3) },
            "CURLOPT_WRITEFUNCTION")
        handle.set(CURLOPT_WRITEDATA, pointer: context, "CURLOPT_WRITEDATA")
        handle.note(
            mm_curl_easy_setopt_header_function(handle.raw) { RunningTransfer.receive(.header, $0, $1 * $2, $3) },
            "CURLOPT_HEADERFUNCTION")
        handle.set(CURLOPT_HEADERDATA, pointer: context, "CURLOPT_HEADERDATA")
        handle.note(
            mm_curl_easy_setopt_opensocket_function(handle.raw) { context, purpose, address in
                guard let context, let address else { return -1 }
                let active = RunningTransfer.of(context)
                if purpose == CURLSOCKTYPE_IPCXN, !active.permitsConnection(to: address) { return -1 }
                return mm_open_socket(address)
            }, "CURLOPT_OPENSOCKETFUNCTION")
        handle.set(CURLOPT_OPENSOCKETDATA, pointer: context, "CURLOPT_OPENSOCKETDATA")
        try handle.check()
    }

    /// Takes a finished (or abandoned) transfer out of curl; the handle is freed with `active`.
    private func complete(
        _ easy: UnsafeMutableRawPointer, _ active: RunningTransfer, _ result: Result<FetchResponse, FetchFailure>
    ) {
        curl_multi_remove_handle(multi, easy)
        running[easy] = nil
        release(active.transfer)
        // Through the hasher, after the transfer's last chunk: the caller may close the file
        // once resumed.
        bodyHasher.enqueue(.finish(active.transfer, active.digest, result))
    }

    private func cancelEverything() {
        for (easy, active) in running {
            complete(easy, active, .failure(FetchFailure(kind: .cancelled, message: "the client is shutting down")))
        }
        let pending = queue.withLock { $0.transfers.removeAllWaiting() }
        for transfer in pending {
            transfer.finish(.failure(FetchFailure(kind: .cancelled, message: "the client is shutting down")))
        }
    }
}
