import MirrorStore

/// The outcome for one distinct URL in this run.
enum SettledURL: Sendable {
    case mirrored(asset: AssetRecord, fetched: Bool, bytes: Int, thumbnailsMade: Int)
    case failed(kind: String, message: String)
    /// Failed before and not due for another attempt yet.
    case deferred(kind: String, message: String)
}
