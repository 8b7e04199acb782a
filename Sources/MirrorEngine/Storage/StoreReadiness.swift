import Foundation
import MirrorConfig
import Synchronization

/// Whether the media store takes writes now, for the daemon's `/readyz`. A directory is judged
/// by the daemon's own disk checks (this answers nil); a bucket by a HEAD of the bucket and a
/// small probe object written and removed, at most every `interval` seconds (a load balancer
/// polling `/readyz` must not become a stream of PUTs).
public final class StoreReadiness: Sendable {
    private let store: (any MediaStore)?
    private let interval: Double
    private let cached = Mutex<(checkedAt: Date, problem: String?)?>(nil)

    public init(configuration: MirrorConfiguration, interval: Double = 15) {
        self.interval = interval
        switch configuration.storage.backend {
        case .filesystem:
            store = nil
        case .s3:
            do {
                store = try MediaStoreFactory.store(for: configuration)
            } catch {
                store = nil
                cached.withLock { $0 = (.distantFuture, "storage: \(error.message)") }
            }
        }
    }

    /// The local directory whose free space and writability matter: the media directory, or
    /// for a bucket the scratch directory downloads wait in before upload.
    public static func localDirectory(for configuration: MirrorConfiguration) -> String {
        configuration.storage.backend == .s3
            ? MediaStoreFactory.scratch(for: configuration) : configuration.site.media
    }

    /// Why the configured store cannot even be opened (no credentials, a bad endpoint), else
    /// nil: a daemon refuses to start for it rather than run never able to store anything.
    public static func configurationProblem(for configuration: MirrorConfiguration) -> String? {
        do {
            try MediaStoreFactory.store(for: configuration).close()
            return nil
        } catch {
            return "storage: \(error.message)"
        }
    }

    /// The last known problem, without asking the store.
    public var lastProblem: String? {
        cached.withLock { $0?.problem }
    }

    /// nil when the store takes writes, else why not.
    public func problem() async -> String? {
        if let last = cached.withLock({ $0 }), Date().timeIntervalSince(last.checkedAt) < interval {
            return last.problem
        }
        guard let store else { return nil }
        let problem = await store.unavailability()
        cached.withLock { $0 = (Date(), problem) }
        return problem
    }

    public func close() {
        store?.close()
    }
}
