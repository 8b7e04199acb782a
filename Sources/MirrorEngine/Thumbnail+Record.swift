import MirrorImaging
import MirrorStore

extension Thumbnail {
    /// How the manifest records this thumbnail of the asset `sha256`, under its store name
    /// (`ab/<sha>-320w.webp`).
    func record(of sha256: String) -> ThumbnailRecord {
        ThumbnailRecord(
            asset: sha256, width: width, height: height,
            path: ContentStore.thumbnailPath(sha256: sha256, width: width, fileExtension: format.fileExtension),
            bytes: bytes.count, format: format.rawValue)
    }
}
