import MirrorFetch

/// Why a bucket request failed, in words an operator can act on. Never carries the secret:
/// messages are built from the status, the S3 error code and message, and the key.
public struct BucketFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Missing, unreadable or refused keys (InvalidAccessKeyId, SignatureDoesNotMatch, 403).
        case credentials
        /// The bucket does not exist (NoSuchBucket).
        case missingBucket = "missing_bucket"
        /// The endpoint could not be reached or kept failing (connection, 5xx, SlowDown).
        case unreachable
        /// A local file could not be read or written.
        case local
        /// Any other refusal.
        case refused
    }

    public var kind: Kind
    public var message: String
    /// The status the server answered, when it answered.
    public var httpStatus: Int?
    /// The S3 error code of its answer (`NoSuchBucket`, `SlowDown`…), when it gave one.
    public var code: String?

    public init(_ kind: Kind, _ message: String, httpStatus: Int? = nil, code: String? = nil) {
        self.kind = kind
        self.message = message
        self.httpStatus = httpStatus
        self.code = code
    }

    public var description: String { message }

    /// A failed exchange with the endpoint, classified by the S3 error code the server gave.
    init(_ failure: FetchFailure, action: String) {
        let error = S3ErrorBody(failure.responseBody ?? "")
        var text = "\(action) failed: "
        if let status = failure.httpStatus {
            text += "HTTP \(status)"
            if let code = error.code { text += " \(code)" }
            if let message = error.message { text += " (\(message))" }
        } else {
            text += failure.message
        }
        let kind: Kind
        switch (failure.httpStatus, error.code) {
        case (_, "InvalidAccessKeyId"), (_, "SignatureDoesNotMatch"), (_, "AccessDenied"), (_, "ExpiredToken"),
            (_, "InvalidToken"), (401, _), (403, _):
            kind = .credentials
            text += "; check the access key and secret"
        case (_, "NoSuchBucket"):
            kind = .missingBucket
        case (nil, _):
            kind = .unreachable
        case (let status?, _) where status >= 500 || status == 429 || status == 408:
            kind = .unreachable
        default:
            kind = .refused
        }
        self.init(kind, text, httpStatus: failure.httpStatus, code: error.code)
    }
}
