import Foundation

/// Waits until `condition` holds, checking every 50 ms; false if it never did within `timeout`.
public func eventually(
    within timeout: Duration, _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// The blocking form, for timing-critical tests: it keeps real time even when every thread of
/// the cooperative pool is busy with other tests (which would delay an async poll for seconds).
public func waitUntil(within timeout: Duration, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}
