import Crypto
import Foundation
import Metrics
import MirrorFetch

/// Talks to one S3-compatible bucket through the libcurl engine: PUT (streamed from a file or
/// from memory, signed with the payload's SHA-256), HEAD, GET and DELETE, each retried with
/// back-off on 5xx, `SlowDown` and connection resets. Its own client and limits: the endpoint
/// is the operator's, so it may be on loopback or a private network, and it is reached
/// directly (the `*_proxy` variables and `fetch.proxy` are for image downloads).
public final class BucketClient: Sendable {
    public let address: BucketAddress
    let signer: SigV4Signer
    let downloader: Downloader
    let storageClass: String
    let cacheControl: String

    public init(
        address: BucketAddress, credentials: BucketCredentials, storageClass: String = "",
        cacheControl: String = "public, max-age=31536000, immutable", concurrency: Int = 8, attempts: Int = 5,
        timeout: Int = 300, baseDelay: Double = 0.5, userAgent: String = "mediamirror"
    ) throws(BucketFailure) {
        self.address = address
        signer = SigV4Signer(credentials: credentials, region: address.region)
        self.storageClass = storageClass
        self.cacheControl = cacheControl
        let everywhere = ["0.0.0.0/0", "::/0"].compactMap { NetworkRange($0) }
        let policy = FetchPolicy(
            concurrency: concurrency, perHost: concurrency, timeout: timeout, maxRedirects: 0,
            maxBytes: Int.max / 2, userAgent: userAgent, addressPolicy: AddressPolicy(allowed: everywhere))
        do {
            downloader = Downloader(
                client: try CurlMultiClient(policy: policy, environment: [:]), attempts: attempts, baseDelay: baseDelay,
                maxDelay: 20)
        } catch {
            throw BucketFailure(.local, "cannot start the bucket client: \(error.message)")
        }
    }

    public func shutdown() {
        downloader.client.shutdown()
    }

    /// The object URL a key is reached at (signed requests only; the public URL is the site's).
    public func url(of key: String) -> String {
        address.locate(key: key).url
    }

    /// Stores `body` as `key`. `sha256` is the body's hash: signed as the payload hash (the
    /// server checks the bytes against it) and kept as `x-amz-meta-sha256` for `verify`.
    public func put(key: String, body: UploadBody, sha256: String, contentType: String) async throws(BucketFailure) {
        var headers = [
            ("content-type", contentType), ("content-length", String(body.size)), ("x-amz-meta-sha256", sha256),
        ]
        if !cacheControl.isEmpty { headers.append(("cache-control", cacheControl)) }
        if !storageClass.isEmpty { headers.append(("x-amz-storage-class", storageClass)) }
        let started = ContinuousClock.now
        let result = await send(.put, key: key, headers: headers, payloadHash: sha256, upload: body)
        let outcome: String
        switch result {
        case .success: outcome = "ok"
        case .failure(let failure): outcome = failure.kind.rawValue
        }
        Counter(label: "mediamirror_uploads_total", dimensions: [("outcome", outcome)]).increment()
        if case .success = result {
            Counter(label: "mediamirror_upload_bytes_total").increment(by: body.size)
            Metrics.Timer(label: "mediamirror_upload_duration_seconds").record(duration: ContinuousClock.now - started)
        }
        if case .failure(let failure) = result { throw failure }
    }

    /// The object's size and recorded checksum, or nil when there is no such object.
    public func head(key: String) async throws(BucketFailure) -> ObjectHead? {
        switch await send(.head, key: key) {
        case .success(let response):
            let bytes = response.headers["content-length"].flatMap { Int($0) } ?? 0
            return ObjectHead(
                bytes: bytes, sha256: response.headers["x-amz-meta-sha256"], contentType: response.contentType)
        case .failure(let failure) where failure.httpStatus == 404:
            return nil
        case .failure(let failure):
            throw failure
        }
    }

    /// Downloads an object into an open file, returning its size and SHA-256.
    public func get(key: String, into descriptor: Int32) async throws(BucketFailure) -> FetchResponse {
        let result = await send(.get, key: key, descriptor: descriptor)
        switch result {
        case .success(let response): return response
        case .failure(let failure): throw failure
        }
    }

    /// Removes an object; one already gone counts as removed.
    public func delete(key: String) async throws(BucketFailure) {
        if case .failure(let failure) = await send(.delete, key: key), failure.httpStatus != 404 {
            throw failure
        }
    }

    /// Checks the bucket answers to these credentials (HEAD of the bucket).
    public func checkReachable() async throws(BucketFailure) {
        if case .failure(var failure) = await send(.head, key: "") {
            // A HEAD answer has no body to name the error: a 404 here is the bucket itself.
            if failure.httpStatus == 404 {
                failure = BucketFailure(
                    .missingBucket, "bucket '\(address.bucket)' does not exist at \(address.authority)")
            }
            throw failure
        }
    }

    /// Creates the bucket (for tests and first set-up); one that exists and is ours is fine.
    public func createBucket() async throws(BucketFailure) {
        if case .failure(let failure) = await send(.put, key: "", upload: .bytes([])),
            failure.code != "BucketAlreadyOwnedByYou"
        {
            throw failure
        }
    }

    /// Checks the bucket takes writes: stores and removes a small object under `key`.
    public func checkWritable(key: String) async throws(BucketFailure) {
        let body = Array("mediamirror readiness probe\n".utf8)
        try await put(
            key: key, body: .bytes(body), sha256: SHA256.hash(data: body).lowercaseHex, contentType: "text/plain")
        try await delete(key: key)
    }

    private func send(
        _ method: HTTPMethod, key: String, headers: [(String, String)] = [],
        payloadHash: String = SigV4Signer.emptyPayloadHash, upload: UploadBody? = nil, descriptor: Int32 = -1
    ) async -> Result<FetchResponse, BucketFailure> {
        let location = address.locate(key: key)
        let signed = signer.sign(
            method: method.rawValue, host: location.host, path: location.path, headers: headers,
            payloadHash: payloadHash)
        let request = FetchRequest(
            url: location.url, headers: signed, descriptor: descriptor, method: method, upload: upload,
            keepsResponseDetails: true)
        let action = "\(method.rawValue) \(key.isEmpty ? "bucket \(address.bucket)" : key)"
        switch await downloader.download(request).result {
        case .success(let response): return .success(response)
        case .failure(let failure): return .failure(BucketFailure(failure, action: action))
        }
    }
}
