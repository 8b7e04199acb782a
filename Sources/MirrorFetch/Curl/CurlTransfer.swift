import Synchronization

/// One requested transfer, as the waiting task and the loop share it: what to fetch, where it
/// may go, whether the caller gave up, and the continuation that resumes the caller exactly
/// once. Everything the transfer does on the curl thread lives in `RunningTransfer`.
final class CurlTransfer: Sendable {
    let request: FetchRequest
    let host: String
    let proxy: String?
    let cancelled = Atomic<Bool>(false)
    private let continuation = Mutex<CheckedContinuation<Result<FetchResponse, FetchFailure>, Never>?>(nil)

    init(request: FetchRequest, host: String, proxy: String?) {
        self.request = request
        self.host = host
        self.proxy = proxy
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
}
