import MirrorStore

/// A thumbnail made for a download, with its bytes, waiting to be stored beside the original.
struct StagedThumbnail: Sendable {
    var record: ThumbnailRecord
    var bytes: [UInt8]
}
