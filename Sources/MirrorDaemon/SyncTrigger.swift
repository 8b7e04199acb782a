import Synchronization

/// Requests for a sync pass, coalesced: however many arrive while a pass runs, one more pass
/// follows. Requests carry a reason ("changed", "reload"…) for the logs and the status page.
public final class SyncTrigger: Sendable {
    private struct State {
        var reasons: [String] = []
        var waiter: CheckedContinuation<[String]?, Never>?
        var closed = false
    }

    private let state = Mutex(State())

    public init() {}

    public func request(_ reason: String) {
        let waiter = state.withLock { state -> CheckedContinuation<[String]?, Never>? in
            guard !state.closed else { return nil }
            if !state.reasons.contains(reason) { state.reasons.append(reason) }
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: takeReasons())
    }

    /// No more passes: a waiting `next` returns nil, and so does every later one.
    public func close() {
        let waiter = state.withLock { state -> CheckedContinuation<[String]?, Never>? in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The reasons requested since the last call, waiting at most `timeout` for one.
    /// Returns nil on timeout or once closed.
    public func next(timeout: Duration) async -> [String]? {
        await withTaskGroup(of: [String]?.self) { group in
            group.addTask { await self.next() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            // The waiter may have taken reasons just as the timer fired: keep them.
            if first == nil, let late = await group.next() ?? nil { return late }
            return first
        }
    }

    private func takeReasons() -> [String]? {
        state.withLock { state -> [String]? in
            guard !state.reasons.isEmpty else { return state.closed ? nil : [] }
            defer { state.reasons = [] }
            return state.reasons
        }
    }

    private func next() async -> [String]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[String]?, Never>) in
                let immediate = state.withLock { state -> [String]?? in
                    if !state.reasons.isEmpty {
                        defer { state.reasons = [] }
                        return .some(state.reasons)
                    }
                    if state.closed || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<[String]?, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
