import Foundation
import MirrorFetch

/// Downloads a list of URLs with the sync's fetch engine (one curl multi handle, bodies streamed
/// to a temporary file and hashed on the way, renamed into place when complete), keeping a
/// window of twice the concurrency in flight as the sync does.
enum FetchBenchmark {
    struct Result {
        var files = 0
        var bytes = 0
        var failures = 0
        var seconds = 0.0
    }

    static func run(listing: String, output: String, concurrency: Int) async throws -> Result {
        let urls = try String(contentsOfFile: listing, encoding: .utf8).split(separator: "\n").map(String.init)
        let policy = FetchPolicy(
            concurrency: concurrency, perHost: concurrency,
            addressPolicy: AddressPolicy(allowed: [NetworkRange("127.0.0.0/8")].compactMap { $0 }))
        let client = try CurlMultiClient(policy: policy, environment: [:])
        let started = ContinuousClock.now
        var result = Result()
        try await withThrowingTaskGroup(of: FetchResponse?.self) { group in
            var next = 0
            func submit() {
                let index = next
                next += 1
                group.addTask { try await fetch(urls[index], to: "\(output)/\(index)", client: client) }
            }
            while next < min(urls.count, concurrency * 2) { submit() }
            while let response = try await group.next() {
                if let response {
                    result.files += 1
                    result.bytes += response.bytes
                } else {
                    result.failures += 1
                }
                if next < urls.count { submit() }
            }
        }
        let elapsed = (ContinuousClock.now - started).components
        result.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        return result
    }

    private static func fetch(_ url: String, to path: String, client: CurlMultiClient) async throws -> FetchResponse? {
        let temporary = path + ".part"
        let descriptor = open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        let outcome = await client.fetch(FetchRequest(url: url, descriptor: descriptor))
        close(descriptor)
        guard case .success(let response) = outcome, rename(temporary, path) == 0 else {
            unlink(temporary)
            return nil
        }
        return response
    }
}
