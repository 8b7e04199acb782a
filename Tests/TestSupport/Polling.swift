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
