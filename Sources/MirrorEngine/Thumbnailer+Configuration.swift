import MirrorConfig
import MirrorImaging

extension Thumbnailer {
    /// The thumbnailer `thumbnails.*` describes.
    init(configuration: MirrorConfiguration) {
        self.init(
            quality: configuration.thumbnails.quality, maxPixels: configuration.thumbnails.maxPixels,
            outputs: configuration.thumbnails.formats.compactMap(Output.init(rawValue:)),
            webpQuality: configuration.thumbnails.webpQuality, avifQuality: configuration.thumbnails.avifQuality,
            avifSpeed: configuration.thumbnails.avifSpeed)
        if configuration.thumbnails.animated {
            animation = AnimationBudget(
                maxFrames: configuration.thumbnails.maxFrames,
                maxTotalPixels: configuration.thumbnails.maxAnimationPixels)
        }
    }
}
