import Foundation

/// Where a bucket answers: the endpoint (any S3-compatible URL), the bucket's name, its region,
/// and whether the bucket goes in the path (`endpoint/bucket/key`, what MinIO, SeaweedFS and
/// most self-hosted stores want) or in the host name (`bucket.endpoint/key`, AWS's default).
public struct BucketAddress: Sendable, Equatable {
    public var scheme: String
    /// Host name and, when not the scheme's default, `:port`: exactly what goes in `Host`.
    public var authority: String
    public var bucket: String
    public var region: String
    public var pathStyle: Bool

    public init(endpoint: String, bucket: String, region: String, pathStyle: Bool) throws(BucketFailure) {
        guard let components = URLComponents(string: endpoint), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw BucketFailure(.refused, "storage.s3.endpoint '\(endpoint)' is not an http(s) URL")
        }
        guard !bucket.isEmpty, !bucket.contains("/") else {
            throw BucketFailure(.refused, "storage.s3.bucket '\(bucket)' is not a bucket name")
        }
        self.scheme = scheme
        let bracketed = host.contains(":") ? "[\(host)]" : host
        authority = components.port.map { "\(bracketed):\($0)" } ?? bracketed
        self.bucket = bucket
        self.region = region
        self.pathStyle = pathStyle
    }

    /// The URL of an object (or of the bucket itself for an empty key), the `Host` it is
    /// signed for, and its path.
    public func locate(key: String) -> (url: String, host: String, path: String) {
        let host = pathStyle ? authority : "\(bucket).\(authority)"
        let path: String
        if pathStyle {
            path = key.isEmpty ? "/\(bucket)" : "/\(bucket)/\(key)"
        } else {
            path = "/\(key)"
        }
        return ("\(scheme)://\(host)\(SigV4Signer.encode(path, keepSlash: true))", host, path)
    }
}
