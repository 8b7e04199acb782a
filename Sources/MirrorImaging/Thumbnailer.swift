/// Makes thumbnails of a given displayed width: shrink on load, Lanczos3, EXIF orientation
/// applied, never upscaled; each width in each of `outputs` from one decode. `auto`: JPEG, PNG
/// when the image has transparency; `same`: also PNG when the original is a PNG, a GIF or a
/// WebP (graphics stay lossless); `jpeg`, `png`, `webp`, `avif` as named.
public struct Thumbnailer: Sendable {
    /// Which format a thumbnail is written in.
    public enum Output: String, Sendable, CaseIterable {
        /// JPEG, unless the image has transparency: small files for photos.
        case auto
        /// The original's kind (PNG from PNG, GIF and WebP, JPEG from JPEG): no JPEG artefacts
        /// on graphics and screenshots. Transparency is always PNG.
        case same
        /// JPEG always: a transparent image is flattened over white.
        case jpeg
        /// PNG always (RGB when opaque).
        case png
        /// Lossy WebP at `webpQuality`, transparency kept.
        case webp
        /// AVIF at `avifQuality` and `avifSpeed`, transparency kept.
        case avif

        /// The formats this output may give, depending on the image.
        public var possibleFormats: [ImageFormat] {
            switch self {
            case .auto: return [.jpeg, .png]
            case .same: return [.png, .jpeg]
            case .jpeg: return [.jpeg]
            case .png: return [.png]
            case .webp: return [.webp]
            case .avif: return [.avif]
            }
        }
    }

    public var quality: Int
    public var maxPixels: Int
    /// Each width is made in each of these (a format given twice is made once).
    public var outputs: [Output]
    public var webpQuality: Int
    public var avifQuality: Int
    /// 0 (slowest, smallest) … 10 (fastest).
    public var avifSpeed: Int
    /// When set, an animated GIF or WebP keeps its animation in WebP thumbnails (within this
    /// budget; a still first frame otherwise). Other formats are always still.
    public var animation: AnimationBudget?

    /// The first output; setting it leaves only that one.
    public var output: Output {
        get { outputs.first ?? .auto }
        set { outputs = [newValue] }
    }

    public init(
        quality: Int = 82, maxPixels: Int = 100_000_000, output: Output = .auto, outputs: [Output]? = nil,
        webpQuality: Int = 80, avifQuality: Int = 60, avifSpeed: Int = 8
    ) {
        self.quality = quality
        self.maxPixels = maxPixels
        self.outputs = outputs ?? [output]
        self.webpQuality = webpQuality
        self.avifQuality = avifQuality
        self.avifSpeed = avifSpeed
    }

    /// Thumbnails for each width smaller than the image's displayed width, largest decode shared.
    public func thumbnails(of data: [UInt8], probe: ImageProbe, widths: [Int]) throws(ImagingError) -> [Thumbnail] {
        try thumbnails(of: .bytes(data), probe: probe, widths: widths)
    }

    /// The same from a file: a sequential JPEG or a PNG is decoded straight from it, so only
    /// rows on their way to the resampler are in memory; anything else is read whole first.
    public func thumbnails(of file: ImageFile, probe: ImageProbe, widths: [Int]) throws(ImagingError) -> [Thumbnail] {
        switch probe.format {
        case .png:
            return try thumbnails(of: .file(file), probe: probe, widths: widths)
        case .jpeg where try !file.isProgressiveJPEG():
            return try thumbnails(of: .file(file), probe: probe, widths: widths)
        case .jpeg:
            // A progressive JPEG decoded at 1/8 is rewritten from the file, never held whole;
            // at any other scale libjpeg holds its coefficients anyway, and the bytes cost less.
            return try thumbnails(of: .progressiveFile(file), probe: probe, widths: widths)
        case .gif, .webp, .avif:
            return try thumbnails(of: .bytes(file.bytes()), probe: probe, widths: widths)
        default:
            // Not decoded here: the same answer as from bytes, without reading the file.
            return try thumbnails(of: .bytes([]), probe: probe, widths: widths)
        }
    }

    /// Decoded and resampled images, and the colour profile the original embeds.
    struct Resized {
        var images: [PixelBuffer]
        var iccProfile: [UInt8]?
    }

    /// Where the encoded image is read from.
    enum Source {
        case bytes([UInt8])
        case file(ImageFile)
        /// A progressive JPEG: read through `JPEGCodec.reduced` at 1/8, whole otherwise.
        case progressiveFile(ImageFile)
    }

    func thumbnails(of source: Source, probe: ImageProbe, widths: [Int]) throws(ImagingError) -> [Thumbnail] {
        let wanted = Array(Set(widths.filter { $0 < probe.displayedWidth })).sorted()
        guard let largest = wanted.last else { return [] }
        // Headers may claim anything (an AVIF `ispe` of 2^32-1 squared overflows Int). A
        // sequential JPEG is held only at its DCT-scaled size: its decoder applies the budget to
        // what it will hold.
        let (pixels, overflow) = probe.width.multipliedReportingOverflow(by: probe.height)
        guard !overflow, pixels <= maxPixels || probe.format == .jpeg else {
            throw .tooLarge("\(probe.width)x\(probe.height) is over the pixel budget of \(maxPixels)")
        }
        let sizes = wanted.map { width in
            let height = max(
                1, Int((Double(probe.displayedHeight) * Double(width) / Double(probe.displayedWidth)).rounded()))
            // Resized in stored orientation, then rotated: the cheaper order.
            return probe.swapsAxes ? (width: height, height: width) : (width: width, height: height)
        }
        var animated: [Thumbnail] = []
        if let animation, probe.frames > 1, probe.format == .gif || probe.format == .webp,
            case .bytes(let data) = source,
            outputs.contains(where: { Self.format(of: $0, transparent: true, original: probe.format) == .webp })
        {
            animated =
                try AnimatedWebP.thumbnails(
                    of: data, format: probe.format, sizes: sizes, quality: webpQuality, maxPixels: maxPixels,
                    budget: animation) ?? []
        }
        // The still thumbnails: every output but the WebP the animation already gave.
        var still = self
        if !animated.isEmpty {
            still.outputs = outputs.filter { Self.format(of: $0, transparent: true, original: probe.format) != .webp }
        }
        var result = animated
        guard !still.outputs.isEmpty else { return result }
        let resized = try decodeResized(source, probe: probe, displayedWidth: largest, sizes: sizes)
        for image in resized.images {
            result += try still.thumbnails(ofResized: image, probe: probe, iccProfile: resized.iccProfile)
        }
        return result
    }

    /// Decodes row by row into one resampler per size: at the smallest DCT scale whose
    /// displayed width is still at least twice `displayedWidth` for JPEG (DCT scaling is a block
    /// shrink that aliases and over-sharpens, so the Lanczos pass keeps at least a factor of two
    /// to band-limit, as libvips does), or, when that scale is over the pixel budget, the
    /// smallest scale still at least `displayedWidth` wide.
    func decodeResized(
        _ source: Source, probe: ImageProbe, displayedWidth: Int, sizes: [(width: Int, height: Int)]
    ) throws(ImagingError) -> Resized {
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
                return try resizedJPEG(source, scaleDenominator: preferred, sizes: sizes)
            } catch .tooLarge where smallest > preferred {
                return try resizedJPEG(source, scaleDenominator: smallest, sizes: sizes)
            }
        case .png:
            switch source {
            case .bytes(let data):
                return try data.withUnsafeBufferPointer { bytes throws(ImagingError) in
                    try Self.resize(ImageRowReader(png: bytes, maxPixels: maxPixels), to: sizes)
                }
            case .file(let file), .progressiveFile(let file):
                return try Self.resize(ImageRowReader(png: file, maxPixels: maxPixels), to: sizes)
            }
        case .webp:
            guard case .bytes(let data) = source else { throw .unsupported("WebP is decoded from bytes") }
            // libwebp scales while decoding; the Lanczos pass keeps a factor of two, as for JPEG.
            let widest = sizes.map(\.width).max() ?? 0
            return Self.resize(try WebPCodec.decode(data, minWidth: 2 * widest, maxPixels: maxPixels), to: sizes)
        case .gif:
            guard case .bytes(let data) = source else { throw .unsupported("GIF is decoded from bytes") }
            return Self.resize(try GIFCodec.decode(data, maxPixels: maxPixels), to: sizes)
        case .avif:
            guard case .bytes(let data) = source else { throw .unsupported("AVIF is decoded from bytes") }
            return Self.resize(try AVIFCodec.decode(data, maxPixels: maxPixels), to: sizes)
        default:
            throw .unsupported("no thumbnail decoder for \(probe.format.rawValue)")
        }
    }

    /// Feeds every row of a decoded image to one resampler per size.
    static func resize(_ image: PixelBuffer, to sizes: [(width: Int, height: Int)]) -> Resized {
        var resamplers = sizes.map {
            StreamingResampler(
                sourceWidth: image.width, sourceHeight: image.height, channels: image.channels, width: $0.width,
                height: $0.height)
        }
        let stride = image.width * image.channels
        image.pixels.withUnsafeBufferPointer { pixels in
            guard let base = pixels.baseAddress else { return }
            for row in 0..<image.height {
                for index in resamplers.indices { resamplers[index].consume(base + row * stride) }
            }
        }
        return Resized(images: resamplers.map { $0.finish() }, iccProfile: nil)
    }

    private func resizedJPEG(
        _ source: Source, scaleDenominator: Int, sizes: [(width: Int, height: Int)]
    ) throws(ImagingError) -> Resized {
        switch source {
        case .progressiveFile(let file):
            // Anything the rewrite refuses (or fails on) is decoded from the original, which
            // reports the damage, if any, as it always has.
            if scaleDenominator == 8,
                let reader = try? ImageRowReader(reducedJPEG: file, scaleDenominator: 8, maxPixels: maxPixels)
            {
                return try Self.resize(reader, to: sizes)
            }
            return try resizedJPEG(.bytes(file.bytes()), scaleDenominator: scaleDenominator, sizes: sizes)
        case .bytes(let data):
            let stream = JPEGCodec.streamToDecode(data, scaleDenominator: scaleDenominator, maxPixels: maxPixels)
            return try stream.bytes.withUnsafeBufferPointer { bytes throws(ImagingError) in
                try Self.resize(
                    ImageRowReader(
                        jpeg: bytes, scaleDenominator: scaleDenominator, blockSmoothing: stream.blockSmoothing,
                        maxPixels: maxPixels),
                    to: sizes)
            }
        case .file(let file):
            return try Self.resize(
                ImageRowReader(jpeg: file, scaleDenominator: scaleDenominator, maxPixels: maxPixels), to: sizes)
        }
    }

    /// Feeds every decoded row to one resampler per size.
    static func resize(
        _ reader: ImageRowReader, to sizes: [(width: Int, height: Int)]
    ) throws(ImagingError) -> Resized {
        var resamplers = sizes.map {
            StreamingResampler(
                sourceWidth: reader.width, sourceHeight: reader.height, channels: reader.channels, width: $0.width,
                height: $0.height)
        }
        let batch = min(16, max(1, reader.height))
        var rows = [UInt8](repeating: 0, count: reader.stride * batch)
        var failure: ImagingError?
        rows.withUnsafeMutableBufferPointer { rows in
            guard let base = rows.baseAddress else { return }
            do throws(ImagingError) {
                while true {
                    let read = try reader.read(into: base, count: batch)
                    for row in 0..<read {
                        for index in resamplers.indices { resamplers[index].consume(base + row * reader.stride) }
                    }
                    if read < batch { break }
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        guard resamplers.allSatisfy(\.isComplete) else { throw .corrupt("the decoder stopped before the last row") }
        return Resized(images: resamplers.map { $0.finish() }, iccProfile: reader.iccProfile)
    }

    /// Orientation applied, then encoded in each output with the original's colour profile
    /// where it matters (`ICCProfile.toEmbed`).
    func thumbnails(
        ofResized resized: PixelBuffer, probe: ImageProbe, iccProfile: [UInt8]?
    ) throws(ImagingError) -> [Thumbnail] {
        let upright = Orientation.apply(probe.orientation, to: resized)
        let transparent = upright.hasTransparency
        var made: [Thumbnail] = []
        for output in outputs {
            let format = Self.format(of: output, transparent: transparent, original: probe.format)
            guard !made.contains(where: { $0.format == format }) else { continue }
            made.append(try encode(upright, as: format, transparent: transparent, iccProfile: iccProfile))
        }
        return made
    }

    /// What `output` writes for an image.
    static func format(of output: Output, transparent: Bool, original: ImageFormat) -> ImageFormat {
        switch output {
        case .auto: return transparent ? .png : .jpeg
        case .same: return transparent || [.png, .gif, .webp, .avif].contains(original) ? .png : .jpeg
        case .jpeg: return .jpeg
        case .png: return .png
        case .webp: return .webp
        case .avif: return .avif
        }
    }

    private func encode(
        _ upright: PixelBuffer, as format: ImageFormat, transparent: Bool, iccProfile: [UInt8]?
    ) throws(ImagingError) -> Thumbnail {
        // An opaque image is written without its alpha channel: a quarter smaller to compress.
        let pixels = transparent ? upright : upright.droppingAlpha()
        let bytes: [UInt8]
        switch format {
        case .png:
            bytes = try PNGCodec.encode(pixels, iccProfile: ICCProfile.toEmbed(iccProfile, channels: pixels.channels))
        case .webp:
            bytes = try WebPCodec.encode(
                pixels, quality: webpQuality, iccProfile: ICCProfile.toEmbed(iccProfile, channels: pixels.channels))
        case .avif:
            bytes = try AVIFCodec.encode(
                pixels, quality: avifQuality, speed: avifSpeed,
                iccProfile: ICCProfile.toEmbed(iccProfile, channels: pixels.channels))
        default:
            let opaque = transparent ? upright.flattened() : pixels
            bytes = try JPEGCodec.encode(
                opaque, quality: quality, iccProfile: ICCProfile.toEmbed(iccProfile, channels: opaque.channels))
        }
        return Thumbnail(width: upright.width, height: upright.height, format: format, bytes: bytes)
    }
}
