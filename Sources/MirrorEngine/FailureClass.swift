import MirrorFetch
import MirrorImaging

/// What went wrong for a URL or a post, as reports, the manifest's `failure_class` column and
/// `report --json` name it. A download's class is its `FetchFailure.Kind`'s name and an image's
/// its `ImagingError`'s, taken over as they are; the run's own classes are named here.
public struct FailureClass: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ kind: FetchFailure.Kind) {
        rawValue = kind.rawValue
    }

    public init(_ error: ImagingError) {
        rawValue = error.failureClass
    }

    /// A class read back from the manifest (written by this or an earlier version).
    public init(stored: String?) {
        rawValue = stored ?? Self.other.rawValue
    }

    public static let localError = FailureClass(FetchFailure.Kind.localError)
    public static let diskFull = FailureClass(FetchFailure.Kind.diskFull)
    public static let cancelled = FailureClass(FetchFailure.Kind.cancelled)
    public static let other = FailureClass(FetchFailure.Kind.other)
    public static let httpStatus = FailureClass(FetchFailure.Kind.httpStatus)
    /// The origin failed repeatedly in this run; its URLs wait for the next one.
    public static let hostPaused = FailureClass(rawValue: "host_paused")
    /// The bytes are a known placeholder image (`fetch.placeholders`), not the photo.
    public static let placeholder = FailureClass(rawValue: "placeholder")
    public static let manifest = FailureClass(rawValue: "manifest")
    /// A post that could not be read or scanned: reported, and not a failed reference.
    public static let scan = FailureClass(rawValue: "scan")
    public static let rewrite = FailureClass(rawValue: "rewrite")
    public static let thumbnail = FailureClass(rawValue: "thumbnail")
    public static let restore = FailureClass(rawValue: "restore")
    public static let refetch = FailureClass(rawValue: "refetch")
    /// The bucket (`storage.backend: s3`) did not take a file: the URL is tried again next run.
    public static let upload = FailureClass(rawValue: "upload")

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

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
