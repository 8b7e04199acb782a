/// `storage.*`: where mirrored files go. `filesystem` (the default) is `site.media`; `s3` is a
/// bucket of any S3-compatible store, `site.url_prefix` then being the public URL of
/// `storage.s3.prefix` in it (or of the CDN in front). The secret is never a setting: it comes
/// from the environment or the credentials file, read when the store opens.
public struct StorageSettings: Sendable, Equatable {
    public enum Backend: String, Sendable, CaseIterable {
        case filesystem, s3
    }

    public var backend: Backend
    public var s3: S3Settings

    public init(backend: Backend = .filesystem, s3: S3Settings = S3Settings()) {
        self.backend = backend
        self.s3 = s3
    }
}

/// `storage.s3.*`.
public struct S3Settings: Sendable, Equatable {
    public var endpoint: String
    public var bucket: String
    /// Keys go below it (`prefix/ab/abcd….jpg`); no leading or trailing slash.
    public var prefix: String
    public var region: String
    /// `endpoint/bucket/key` rather than `bucket.endpoint/key`.
    public var pathStyle: Bool
    public var storageClass: String
    public var cacheControl: String
    /// An AWS-format credentials file; empty means the `AWS_*` environment variables.
    public var credentialsFile: String
    /// The section of `credentials_file` to read.
    public var profile: String
    /// Uploads in flight at once.
    public var concurrency: Int

    public static let defaultCacheControl = "public, max-age=31536000, immutable"

    public init(
        endpoint: String = "", bucket: String = "", prefix: String = "", region: String = "us-east-1",
        pathStyle: Bool = true, storageClass: String = "", cacheControl: String = S3Settings.defaultCacheControl,
        credentialsFile: String = "", profile: String = "default", concurrency: Int = 8
    ) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.prefix = prefix
        self.region = region
        self.pathStyle = pathStyle
        self.storageClass = storageClass
        self.cacheControl = cacheControl
        self.credentialsFile = credentialsFile
        self.profile = profile
        self.concurrency = concurrency
    }

    /// The object key of a path below the prefix.
    public func key(of path: String) -> String {
        prefix.isEmpty ? path : "\(prefix)/\(path)"
    }
}
