import MirrorConfig
import MirrorFetch

/// The HTTP client a configuration describes (sync and verify --repair share it).
enum FetchClientFactory {
    static func client(for configuration: MirrorConfiguration) throws -> CurlMultiClient {
        let fetch = configuration.fetch
        let policy: AddressPolicy
        switch AddressPolicy.parse(allowNetworks: fetch.allowNetworks) {
        case .success(let parsed): policy = parsed
        case .failure(let failure): throw SyncError.cannotRun("fetch.allow_networks: \(failure.message)")
        }
        do {
            return try CurlMultiClient(
                policy: FetchPolicy(
                    concurrency: fetch.concurrency, perHost: fetch.perHost, connectTimeout: fetch.connectTimeout,
                    timeout: fetch.timeout, lowSpeedLimit: fetch.lowSpeedLimit, lowSpeedTime: fetch.lowSpeedTime,
                    maxRedirects: fetch.maxRedirects, maxBytes: fetch.maxBytes, userAgent: fetch.userAgent,
                    proxy: fetch.proxy, caBundle: fetch.caBundle, addressPolicy: policy))
        } catch {
            throw SyncError.cannotRun("HTTP client: \(error)")
        }
    }
}
