import MirrorConfig
import MirrorImaging

extension Thumbnailer {
    /// The thumbnailer `thumbnails.*` describes.
    init(configuration: MirrorConfiguration) {
        self.init(
            quality: configuration.thumbnails.quality, maxPixels: configuration.thumbnails.maxPixels,
            output: Output(rawValue: configuration.thumbnails.format) ?? .auto)
    }
}
