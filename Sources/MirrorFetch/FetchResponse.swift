/// A finished, successful download.
public struct FetchResponse: Sendable {
    public var url: String
    /// The URL after redirects.
    public var effectiveURL: String
    public var httpStatus: Int
    public var bytes: Int
    /// Hex SHA-256 of the body, computed while it streamed.
    public var sha256: String
    public var contentType: String?
    public var etag: String?
    public var lastModified: String?
    public var seconds: Double
    /// The HTTP version that answered: "1.0", "1.1", "2" or "3".
    public var httpVersion: String
    /// When the archive captured what it served (`Memento-Datetime`, RFC 7089), if it said.
    public var mementoDatetime: String?
    /// Every response header, names lowercased, when the request asked to keep them.
    public var headers: [String: String] = [:]

    public init(
        url: String, effectiveURL: String, httpStatus: Int, bytes: Int, sha256: String, contentType: String?,
        etag: String?,
        lastModified: String?, seconds: Double, httpVersion: String = "1.1", mementoDatetime: String? = nil
    ) {
        self.mementoDatetime = mementoDatetime
        self.url = url
        self.effectiveURL = effectiveURL
        self.httpStatus = httpStatus
        self.bytes = bytes
        self.sha256 = sha256
        self.contentType = contentType
        self.etag = etag
        self.lastModified = lastModified
        self.seconds = seconds
        self.httpVersion = httpVersion
    }
}
