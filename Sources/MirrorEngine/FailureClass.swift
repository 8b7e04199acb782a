import MirrorFetch
import MirrorImaging

/// What went wrong for a URL or a post, as reports, the manifest's `failure_class` column and
/// `report --json` name it: the raw values are those names, unchanged.
public enum FailureClass: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    // Downloads (FetchFailure.Kind, one for one).
    case dns, connect, timeout, tls, reset, truncated
    case tooSlow = "too_slow"
    case httpStatus = "http_status"
    case tooLarge = "too_large"
    case tooManyRedirects = "too_many_redirects"
    case forbiddenProtocol = "forbidden_protocol"
    case blockedAddress = "blocked_address"
    case invalidURL = "invalid_url"
    case localError = "local_error"
    case diskFull = "disk_full"
    case cancelled
    case other
    // The bytes (ImagingError).
    case notAnImage = "not_an_image"
    case corruptImage = "corrupt_image"
    case unsupportedImage = "unsupported_image"
    case imageTooLarge = "image_too_large"
    case outOfMemory = "out_of_memory"
    // The run.
    /// The origin failed repeatedly in this run; its URLs wait for the next one.
    case hostPaused = "host_paused"
    case manifest
    /// A post that could not be read or scanned: reported, and not a failed reference.
    case scan
    case rewrite
    case thumbnail
    case restore
    case refetch

    public init(_ kind: FetchFailure.Kind) {
        self = FailureClass(rawValue: kind.rawValue) ?? .other
    }

    public init(_ error: ImagingError) {
        self = FailureClass(rawValue: error.failureClass) ?? .other
    }

    /// A class read back from the manifest (written by this or an earlier version).
    public init(stored: String?) {
        self = stored.flatMap(FailureClass.init(rawValue:)) ?? .other
    }

    /// The name reports show.
    public var description: String { rawValue }

    /// A post the pass could not finish with (unreadable, its rewrite or its record failed):
    /// a daemon walks the whole tree next time rather than only what changed.
    public var needsAnotherLook: Bool {
        self == .scan || self == .rewrite || self == .manifest || self == .diskFull
    }

    /// Worth counting as the pass having failed something (a post that could not be scanned
    /// is reported, but the rest of its run is whole).
    var isFailure: Bool { self != .scan }
}
