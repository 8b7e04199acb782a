/// Interleaved 8-bit pixels: 1 (gray), 3 (RGB) or 4 (RGBA, straight alpha) channels.
public struct PixelBuffer: Sendable {
    public var width: Int
    public var height: Int
    public var channels: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * channels, "pixel count does not match geometry")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// True when some pixel is not fully opaque.
    public var hasTransparency: Bool {
        guard channels == 4 else { return false }
        var index = 3
        while index < pixels.count {
            if pixels[index] != 255 { return true }
            index += 4
        }
        return false
    }

    /// Drops the alpha channel of an opaque RGBA buffer.
    public func droppingAlpha() -> PixelBuffer {
        guard channels == 4 else { return self }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for pixel in 0..<(width * height) {
            rgb[pixel * 3] = pixels[pixel * 4]
            rgb[pixel * 3 + 1] = pixels[pixel * 4 + 1]
            rgb[pixel * 3 + 2] = pixels[pixel * 4 + 2]
        }
        return PixelBuffer(width: width, height: height, channels: 3, pixels: rgb)
    }

    /// An RGBA buffer composited over white, as RGB: what a JPEG of a transparent image shows.
    public func flattened() -> PixelBuffer {
        guard channels == 4 else { return self }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for pixel in 0..<(width * height) {
            let alpha = Int(pixels[pixel * 4 + 3])
            for channel in 0..<3 {
                let value = Int(pixels[pixel * 4 + channel])
                rgb[pixel * 3 + channel] = UInt8((value * alpha + 255 * (255 - alpha) + 127) / 255)
            }
        }
        return PixelBuffer(width: width, height: height, channels: 3, pixels: rgb)
    }
}
