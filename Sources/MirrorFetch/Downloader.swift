import Foundation

/// Retries one URL on transient failures with exponential backoff and full jitter, honouring
/// Retry-After. Permanent failures (404, a blocked address, a size cap) are not retried.
public struct Downloader: Sendable {
    public let client: CurlMultiClient
    public var attempts: Int
    public var baseDelay: Double
    public var maxDelay: Double

    public init(client: CurlMultiClient, attempts: Int, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.client = client
        self.attempts = max(1, attempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public struct Outcome: Sendable {
        public var result: Result<FetchResponse, FetchFailure>
        public var attempts: Int
    }

    public func download(_ request: FetchRequest) async -> Outcome {
        var attempt = 0
        while true {
            attempt += 1
            let result = await client.fetch(request)
            guard case .failure(let failure) = result, failure.isTransient, attempt < attempts, !Task.isCancelled else {
                return Outcome(result: result, attempts: attempt)
            }
            let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
            let delay = failure.retryAfter.map { min($0, maxDelay) } ?? Double.random(in: 0...ceiling)
            do {
                try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            } catch {
                return Outcome(
                    result: .failure(FetchFailure(kind: .cancelled, message: "cancelled")), attempts: attempt)
            }
        }
    }
}
