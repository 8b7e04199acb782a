import GRDB

/// What happened the last time a URL was fetched.
public struct URLRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "urls"
    /// Columns are the properties' names in snake_case (`failureClass` in `failure_class`).
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public enum Status: String, Codable, Sendable {
        case mirrored, failed
    }

    /// The URL fetched first (the origin, after unwrapping).
    public var url: String
    /// The proxy wrapper it was found in, if any.
    public var wrapper: String?
    public var status: Status
    /// The URL that actually served the bytes (origin or wrapper), or `archive` for a URL
    /// rescued from a web archive (`archiveCapture`).
    public var fetchedVia: String?
    public var asset: String?
    public var httpStatus: Int?
    public var failureClass: String?
    public var failureMessage: String?
    public var attempts: Int
    public var etag: String?
    public var lastModified: String?
    public var lastChecked: Double
    /// When a failed URL may be tried again (nil: on the next run).
    public var nextAttempt: Double?
    /// Since when the origin has answered 404/410 for a URL whose copy is kept.
    public var goneSince: Double?
    /// Consecutive runs in which this URL failed.
    public var failedRuns: Int
    /// The URL of the archive capture a rescued URL's bytes came from, and when it was captured.
    public var archiveCapture: String?
    public var capturedAt: Double?
    /// When the archives were last asked for this failed URL and had no usable capture.
    public var rescueChecked: Double?

    /// `fetchedVia` of a URL rescued from a web archive.
    public static let fetchedFromArchive = "archive"

    public init(
        url: String, wrapper: String?, status: Status, fetchedVia: String?, asset: String?, httpStatus: Int?,
        failureClass: String?, failureMessage: String?, attempts: Int, etag: String?, lastModified: String?,
        lastChecked: Double, nextAttempt: Double? = nil, goneSince: Double? = nil, failedRuns: Int = 0
    ) {
        self.url = url
        self.wrapper = wrapper
        self.status = status
        self.fetchedVia = fetchedVia
        self.asset = asset
        self.httpStatus = httpStatus
        self.failureClass = failureClass
        self.failureMessage = failureMessage
        self.attempts = attempts
        self.etag = etag
        self.lastModified = lastModified
        self.lastChecked = lastChecked
        self.nextAttempt = nextAttempt
        self.goneSince = goneSince
        self.failedRuns = failedRuns
    }
}
