import MirrorFetch
import Synchronization

/// The circuit breaker: a host whose downloads fail for transient reasons (connection refused,
/// timeouts, resets, 5xx, 429) several times in a row is paused for the rest of the run, so its
/// remaining URLs are not each tried and retried against a host that is down. They are left for
/// the next run, not marked failed. One success closes the breaker again.
final class HostBreaker: Sendable {
    private struct HostState {
        var consecutiveFailures = 0
        var open = false
    }

    let threshold: Int
    private let hosts = Mutex<[String: HostState]>([:])

    /// What the breaker counts by: the URL's origin, scheme, host and port
    /// (`https://img.example.com:443`). The same host over http and https, or on two ports, is
    /// two servers as far as failing goes (an https proxy may refuse CONNECT while plain http
    /// works).
    static func origin(of url: String) -> String {
        URLOrigin(url)?.description ?? url
    }

    init(threshold: Int = 5) {
        self.threshold = max(1, threshold)
    }

    func isOpen(_ host: String) -> Bool {
        hosts.withLock { $0[host]?.open ?? false }
    }

    func recordSuccess(_ host: String) {
        hosts.withLock { $0[host] = HostState() }
    }

    /// Returns true when this failure opened the breaker.
    @discardableResult
    func recordTransientFailure(_ host: String) -> Bool {
        hosts.withLock { hosts in
            var state = hosts[host] ?? HostState()
            state.consecutiveFailures += 1
            let opened = !state.open && state.consecutiveFailures >= threshold
            if opened { state.open = true }
            hosts[host] = state
            return opened
        }
    }
}
