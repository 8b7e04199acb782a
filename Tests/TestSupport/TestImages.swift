import MirrorImaging

/// Generated test pictures: smooth gradients with hard edges, so a thumbnail has something to
/// keep and a wrong orientation or colour shows.
public enum TestImages {
    public static func pixels(width: Int, height: Int, channels: Int = 3, seed: Int = 0) -> PixelBuffer {
        var data = [UInt8](repeating: 0, count: width * height * channels)
        for y in 0..<height {
            for x in 0..<width {
                let base = (y * width + x) * channels
                let red = UInt8((x * 255) / max(width - 1, 1))
                let green = UInt8((y * 255) / max(height - 1, 1))
                let stripe = ((x + seed * 7) / max(width / 16, 1) + y / max(height / 16, 1)) % 2 == 0
                let blue: UInt8 = stripe ? 200 : UInt8(truncatingIfNeeded: 40 + seed * 30)
                if channels >= 3 {
                    data[base] = red
                    data[base + 1] = green
                    data[base + 2] = blue
                } else {
                    data[base] = UInt8((Int(red) + Int(green)) / 2)
                }
                if channels == 4 { data[base + 3] = x < width / 4 ? 0 : 255 }
            }
        }
        return PixelBuffer(width: width, height: height, channels: channels, pixels: data)
    }

    public static func jpeg(width: Int, height: Int, seed: Int = 0, quality: Int = 85) throws -> [UInt8] {
        try JPEGCodec.encode(pixels(width: width, height: height, seed: seed), quality: quality, progressive: false)
    }

    /// One colour all over: easy to find in a screenshot.
    public static func solidJPEG(width: Int, height: Int, red: UInt8, green: UInt8, blue: UInt8) throws -> [UInt8] {
        let pixels = (0..<(width * height)).flatMap { _ in [red, green, blue] }
        return try JPEGCodec.encode(
            PixelBuffer(width: width, height: height, channels: 3, pixels: pixels), quality: 90, progressive: false)
    }

    public static func png(width: Int, height: Int, alpha: Bool = false, seed: Int = 0) throws -> [UInt8] {
        try PNGCodec.encode(pixels(width: width, height: height, channels: alpha ? 4 : 3, seed: seed))
    }
}
