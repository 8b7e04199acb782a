/// `thumbnails.*`: which thumbnails are made.
public struct ThumbnailSettings: Sendable, Equatable {
    /// Widths in pixels; an image narrower than a width gets no thumbnail of that width.
    public var widths: [Int]
    /// JPEG quality, 1 to 100.
    public var quality: Int
    /// Largest image (width × height) that is decoded at all.
    public var maxPixels: Int

    public init(widths: [Int] = [320, 640], quality: Int = 82, maxPixels: Int = 100_000_000) {
        self.widths = widths
        self.quality = quality
        self.maxPixels = maxPixels
    }
}
