/// Applies an EXIF orientation (1 to 8) to pixels, so thumbnails display upright everywhere.
public enum Orientation {
    public static func apply(_ orientation: Int, to image: PixelBuffer) -> PixelBuffer {
        guard (2...8).contains(orientation) else { return image }
        let swaps = orientation >= 5
        let width = swaps ? image.height : image.width
        let height = swaps ? image.width : image.height
        let channels = image.channels
        var output = [UInt8](repeating: 0, count: image.pixels.count)
        for y in 0..<height {
            for x in 0..<width {
                // Source coordinates of output pixel (x, y) for each EXIF orientation.
                let (sx, sy): (Int, Int)
                switch orientation {
                case 2: (sx, sy) = (image.width - 1 - x, y)
                case 3: (sx, sy) = (image.width - 1 - x, image.height - 1 - y)
                case 4: (sx, sy) = (x, image.height - 1 - y)
                case 5: (sx, sy) = (y, x)
                case 6: (sx, sy) = (y, image.height - 1 - x)
                case 7: (sx, sy) = (image.width - 1 - y, image.height - 1 - x)
                default: (sx, sy) = (image.width - 1 - y, x)
                }
                let from = (sy * image.width + sx) * channels
                let to = (y * width + x) * channels
                for channel in 0..<channels { output[to + channel] = image.pixels[from + channel] }
            }
        }
        return PixelBuffer(width: width, height: height, channels: channels, pixels: output)
    }
}
