import Foundation

extension Process {
    /// Ends a child for good and reaps it. Foundation starts children with SIGTERM blocked,
    /// which Python keeps, so only SIGKILL is sure to end a test server.
    public func killAndWait() {
        guard isRunning else { return }
        kill(processIdentifier, SIGKILL)
        waitUntilExit()
    }
}
