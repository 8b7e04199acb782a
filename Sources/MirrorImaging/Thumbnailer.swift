/// Makes thumbnails of a given displayed width: shrink on load, Lanczos3, EXIF orientation
/// applied, never upscaled. JPEG out, PNG out when the image has transparency (or, with
/// `.same`, when the original is a PNG).
public struct Thumbnailer: Sendable {
    /// Which format a thumbnail is written in.
    public enum Output: String, Sendable, CaseIterable {
        /// JPEG, unless the image has transparency: small files for photos.
        case auto
        /// The original's format (PNG from PNG, JPEG from JPEG): no JPEG artefacts on graphics
        /// and screenshots. Transparency is always PNG.
        case same
    }

    public var quality: Int
    public var maxPixels: Int
    public var output: Output

    public init(quality: Int = 82, maxPixels: Int = 100_000_000, output: Output = .auto) {
        self.quality = quality
        self.maxPixels = maxPixels
        self.output = output
    }

    /// Thumbnails for each width smaller than the image's displayed width, largest decode shared.
    public func thumbnails(of data: [UInt8], probe: ImageProbe, widths: [Int]) throws(ImagingError) -> [Thumbnail] {
        let wanted = Array(Set(widths.filter { $0 < probe.displayedWidth })).sorted()
        guard let largest = wanted.last else { return [] }
        // Headers may claim anything (an AVIF `ispe` of 2^32-1 squared overflows Int). A
        // sequential JPEG is held only at its DCT-scaled size: its decoder applies the budget to
        // what it will hold.
        let (pixels, overflow) = probe.width.multipliedReportingOverflow(by: probe.height)
        guard !overflow, pixels <= maxPixels || probe.format == .jpeg else {
            throw .tooLarge("\(probe.width)x\(probe.height) is over the pixel budget of \(maxPixels)")
        }
        let decoded = try decode(data, probe: probe, displayedWidth: largest)
        var result: [Thumbnail] = []
        for width in wanted {
            result.append(try thumbnail(from: decoded, probe: probe, width: width))
        }
        return result
    }

    /// Decodes at the smallest DCT scale whose displayed width is still at least twice
    /// `displayedWidth`: DCT scaling is a block shrink that aliases and over-sharpens, so the
    /// Lanczos pass keeps at least a factor of two to band-limit (as libvips does). When that
    /// scale is over the pixel budget, the smallest scale still at least `displayedWidth` wide.
    func decode(_ data: [UInt8], probe: ImageProbe, displayedWidth: Int) throws(ImagingError) -> PixelBuffer {
        switch probe.format {
        case .jpeg:
            let storedExtent = probe.swapsAxes ? probe.height : probe.width
            func denominator(atLeast extent: Int) -> Int {
                var denominator = 8
                while denominator > 1, (storedExtent + denominator - 1) / denominator < extent { denominator /= 2 }
                return denominator
            }
            let preferred = denominator(atLeast: 2 * displayedWidth)
            let smallest = denominator(atLeast: displayedWidth)
            do {
                return try JPEGCodec.decode(data, scaleDenominator: preferred, maxPixels: maxPixels)
            } catch .tooLarge where smallest > preferred {
                return try JPEGCodec.decode(data, scaleDenominator: smallest, maxPixels: maxPixels)
            }
        case .png:
            return try PNGCodec.decode(data, maxPixels: maxPixels)
        default:
            throw .unsupported("no thumbnail decoder for \(probe.format.rawValue)")
        }
    }

    func thumbnail(from decoded: PixelBuffer, probe: ImageProbe, width: Int) throws(ImagingError) -> Thumbnail {
        let height = max(
            1, Int((Double(probe.displayedHeight) * Double(width) / Double(probe.displayedWidth)).rounded()))
        // Resize in stored orientation, then rotate: the cheaper order.
        let (storedWidth, storedHeight) = probe.swapsAxes ? (height, width) : (width, height)
        let resized = Resampler.resize(decoded, width: storedWidth, height: storedHeight)
        let upright = Orientation.apply(probe.orientation, to: resized)
        let transparent = upright.hasTransparency
        if transparent || (output == .same && probe.format == .png) {
            // An opaque image is written as RGB: a quarter smaller before compression.
            let pixels = transparent ? upright : upright.droppingAlpha()
            return Thumbnail(
                width: upright.width, height: upright.height, format: .png, bytes: try PNGCodec.encode(pixels))
        }
        return Thumbnail(
            width: upright.width, height: upright.height, format: .jpeg,
            bytes: try JPEGCodec.encode(upright, quality: quality))
    }
}
