/// Politeness toward archives: at most `perHost` requests in flight to one archive host,
/// whatever `fetch.per_host` allows origins. Waiters are served in arrival order.
actor ArchiveGate {
    private let perHost: Int
    private var inFlight: [String: Int] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    init(perHost: Int) {
        self.perHost = max(1, perHost)
    }

    /// Runs `body` once a slot for `host` is free.
    func run<T: Sendable>(host: String, _ body: @Sendable () async -> T) async -> T {
        await acquire(host)
        let result = await body()
        release(host)
        return result
    }

    private func acquire(_ host: String) async {
        if inFlight[host, default: 0] < perHost {
            inFlight[host, default: 0] += 1
            return
        }
        await withCheckedContinuation { waiting[host, default: []].append($0) }
    }

    private func release(_ host: String) {
        if var queue = waiting[host], !queue.isEmpty {
            // The slot passes straight to the next waiter: the count stays.
            let next = queue.removeFirst()
            waiting[host] = queue
            next.resume()
        } else {
            inFlight[host, default: 1] -= 1
        }
    }
}
