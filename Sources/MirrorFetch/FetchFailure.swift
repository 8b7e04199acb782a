import Foundation

/// Why a download failed, classified so reports can group it and retries know what to retry.
public struct FetchFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        case dns, connect, timeout, tls, reset, truncated
        /// Slower than `fetch.low_speed_limit` bytes/s for `fetch.low_speed_time` seconds.
        case tooSlow = "too_slow"
        case httpStatus = "http_status"
        case tooLarge = "too_large"
        case tooManyRedirects = "too_many_redirects"
        case forbiddenProtocol = "forbidden_protocol"
        case blockedAddress = "blocked_address"
        case invalidURL = "invalid_url"
        case localError = "local_error"
        /// Our disk, not the server: the media file system is full.
        case diskFull = "disk_full"
        case cancelled
        case other

        /// The kind for a failed local write: `diskFull` for ENOSPC and EDQUOT.
        public static func localWrite(errno code: Int32) -> Kind {
            code == ENOSPC || code == EDQUOT ? .diskFull : .localError
        }
    }

    public var kind: Kind
    public var message: String
    public var httpStatus: Int?
    /// Seconds the server asked us to wait (Retry-After), if it said.
    public var retryAfter: Double?
    /// The first bytes of the error answer's body, when the request asked to keep them.
    public var responseBody: String?

    public init(
        kind: Kind, message: String, httpStatus: Int? = nil, retryAfter: Double? = nil, responseBody: String? = nil
    ) {
        self.responseBody = responseBody
        self.kind = kind
        self.message = message
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
    }

    /// Connection trouble, timeouts, 408, 429 and 5xx may pass; other failures will not.
    public var isTransient: Bool {
        switch kind {
        case .dns, .connect, .timeout, .tooSlow, .reset, .truncated: return true
        case .httpStatus:
            guard let status = httpStatus else { return false }
            return status == 408 || status == 429 || (500...599).contains(status)
        default: return false
        }
    }

    public var description: String {
        if let httpStatus, kind == .httpStatus { return "HTTP \(httpStatus): \(message)" }
        return "\(kind.rawValue): \(message)"
    }
}
