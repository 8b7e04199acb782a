internal import CCurlShims
import Crypto
import Foundation
import Synchronization

/// An HTTP client on one libcurl multi handle. One dedicated thread owns the handle and runs
/// `curl_multi_poll`; callers `await` transfers. Global and per-host limits are applied before a
/// transfer is handed to curl, so a slow host cannot take every slot.
public final class CurlMultiClient: Sendable {
    private let loop: CurlLoop

    public init(
        policy: FetchPolicy, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(FetchFailure) {
        CurlGlobal.initialize()
        var caBlob: [UInt8]?
        if !policy.caBundle.isEmpty {
            caBlob = try CurlMultiClient.combinedCABundle(extra: policy.caBundle)
        }
        loop = try CurlLoop(
            policy: policy, proxies: ProxySelector(configured: policy.proxy, environment: environment), caBlob: caBlob)
        let running = loop
        let thread = Thread { running.run() }
        thread.name = "mediamirror-curl"
        thread.start()
    }

    deinit {
        loop.stop()
    }

    /// Stops taking work; transfers in flight finish as cancelled.
    public func shutdown() {
        loop.stop()
    }

    /// Downloads `request.url` into `request.descriptor`: one attempt, no retries.
    public func fetch(_ request: FetchRequest) async -> Result<FetchResponse, FetchFailure> {
        guard let host = URLOrigin.host(of: request.url) else {
            return .failure(FetchFailure(kind: .invalidURL, message: "no host in \(request.url)"))
        }
        let transfer = CurlTransfer(
            request: request, host: host, proxy: loop.proxies.proxy(for: request.url, host: host))
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.install(continuation)
                loop.submit(transfer)
            }
        } onCancel: {
            transfer.cancelled.store(true, ordering: .releasing)
            loop.noteCancellation()
        }
    }

    /// The system CA store plus the operator's extra certificates, as one PEM blob.
    private static func combinedCABundle(extra path: String) throws(FetchFailure) -> [UInt8] {
        guard let extra = FileManager.default.contents(atPath: path) else {
            throw FetchFailure(kind: .localError, message: "fetch.ca_bundle \(path) cannot be read")
        }
        var bundle: [UInt8] = []
        for system in ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"] {
            if let data = FileManager.default.contents(atPath: system) {
                bundle += data
                bundle.append(UInt8(ascii: "\n"))
                break
            }
        }
        return bundle + extra
    }
}

/// libcurl's process-wide initialisation, done once before the first handle.
enum CurlGlobal {
    private static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
    }()

    static func initialize() {
        _ = initialized
    }
}
