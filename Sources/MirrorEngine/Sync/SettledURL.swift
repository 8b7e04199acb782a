import MirrorStore

/// The outcome for one distinct URL in this run.
enum SettledURL: Sendable {
    case mirrored(MirroredURL)
    case failed(FailureClass, message: String)
    /// Failed before and not due for another attempt yet.
    case deferred(FailureClass, message: String)
}

/// A URL whose image is stored: what the edit stage needs to point posts at it (the asset and
/// its thumbnails, so no reference asks the manifest again) and what the run's tally counts.
struct MirroredURL: Sendable {
    var asset: AssetRecord
    var thumbnails: [ThumbnailRecord]
    /// Downloaded in this run, rather than found in the manifest.
    var fetched: Bool
    var bytes: Int
    var thumbnailsMade: Int
}
