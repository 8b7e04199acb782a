/// `thumbnails.*`: which thumbnails are made.
public struct ThumbnailSettings: Sendable, Equatable {
    /// Widths in pixels; an image narrower than a width gets no thumbnail of that width.
    public var widths: [Int]
    /// JPEG quality, 1 to 100.
    public var quality: Int
    /// Largest image (width × height) held in memory to decode: a sequential JPEG counts at the
    /// size it is decoded to (DCT scaling), a progressive JPEG and other formats at full size.
    public var maxPixels: Int
    /// `auto` (JPEG unless transparent) or `same` (PNG from PNG, JPEG from JPEG).
    public var format: String
    /// Every format each width is made in (`thumbnails.formats`): `auto`, `same`, `jpeg`, `png`,
    /// `webp` or `avif`; the first is the one `rewrite.variants` points at. Default: `[format]`.
    public var formats: [String]
    /// WebP quality, 1 to 100.
    public var webpQuality = 80
    /// AVIF quality, 1 to 100 (mapped to AV1's quantizer as libavif 1.0 maps it).
    public var avifQuality = 60
    /// AVIF encoder speed, 0 (slowest, smallest) to 10 (fastest).
    public var avifSpeed = 8
    /// Animated GIFs and WebPs keep their animation in WebP thumbnails.
    public var animated = false
    /// An animation with more frames gets a still thumbnail.
    public var maxFrames = 500
    /// An animation decoding to more pixels over all its frames gets a still thumbnail.
    public var maxAnimationPixels = 500_000_000

    /// What `thumbnails.formats` may name.
    public static let knownFormats = ["auto", "same", "jpeg", "png", "webp", "avif"]

    public init(widths: [Int] = [320, 640], quality: Int = 82, maxPixels: Int = 100_000_000, format: String = "auto") {
        self.widths = widths
        self.quality = quality
        self.maxPixels = maxPixels
        self.format = format
        self.formats = [format]
    }
}
