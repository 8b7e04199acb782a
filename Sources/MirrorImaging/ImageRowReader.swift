internal import CCodecShims

/// An image decoded a few rows at a time by libjpeg or libpng, top to bottom: a thumbnail never
/// holds the decoded image whole, only rows on their way into the resampler.
///
/// A reader opened on bytes points into them: use it only inside the `withUnsafeBufferPointer`
/// scope those bytes were lent for. One opened on a file needs its descriptor open as long.
final class ImageRowReader {
    private enum Handle {
        case jpeg(OpaquePointer)
        case png(OpaquePointer)
    }

    private let handle: Handle
    let width: Int
    let height: Int
    let channels: Int
    /// The ICC profile the file embeds, if any.
    let iccProfile: [UInt8]?

    /// A JPEG at 1/`scaleDenominator` (1, 2, 4 or 8): RGB, or gray for gray files.
    convenience init(
        jpeg bytes: UnsafeBufferPointer<UInt8>, scaleDenominator: Int, blockSmoothing: Bool, maxPixels: Int
    ) throws(ImagingError) {
        try self.init(as: Handle.jpeg) { reader, width, height, channels, text in
            mm_jpeg_reader_open(
                bytes.baseAddress, bytes.count, Int32(scaleDenominator), blockSmoothing ? 1 : 0,
                UInt64(max(maxPixels, 0)), reader, width, height, channels, text)
        }
    }

    /// A JPEG read from `file` a little at a time (a sequential one holds no more than a few
    /// rows; a progressive one still holds its coefficients).
    convenience init(jpeg file: ImageFile, scaleDenominator: Int, maxPixels: Int) throws(ImagingError) {
        try self.init(as: Handle.jpeg) { reader, width, height, channels, text in
            mm_jpeg_reader_open_file(
                file.descriptor, Int32(scaleDenominator), 1, UInt64(max(maxPixels, 0)), reader, width, height,
                channels, text)
        }
    }

    /// A progressive JPEG read from `file` whole first, holding only the coefficients a decode at
    /// 1/`scaleDenominator` reads, then decoded like a sequential one (`mm_jpeg_reader_open_reduced`):
    /// the original's pixels without coefficients for the whole image. Throws `.unsupported` for a
    /// file the rewrite does not reproduce exactly; open the original instead.
    convenience init(reducedJPEG file: ImageFile, scaleDenominator: Int, maxPixels: Int) throws(ImagingError) {
        try self.init(as: Handle.jpeg) { reader, width, height, channels, text in
            mm_jpeg_reader_open_reduced(
                nil, 0, file.descriptor, Int32(scaleDenominator), UInt64(max(maxPixels, 0)), reader, width, height,
                channels, text)
        }
    }

    /// A PNG: RGB, or RGBA when it has transparency (a channel or tRNS) or `alwaysAlpha`.
    convenience init(
        png bytes: UnsafeBufferPointer<UInt8>, maxPixels: Int, alwaysAlpha: Bool = false
    )
        throws(ImagingError)
    {
        try self.init(as: Handle.png) { reader, width, height, channels, text in
            mm_png_reader_open(
                bytes.baseAddress, bytes.count, UInt64(max(maxPixels, 0)), alwaysAlpha ? 1 : 0, reader, width,
                height, channels, text)
        }
    }

    /// A PNG read from `file` a little at a time.
    convenience init(png file: ImageFile, maxPixels: Int) throws(ImagingError) {
        try self.init(as: Handle.png) { reader, width, height, channels, text in
            mm_png_reader_open_file(
                file.descriptor, UInt64(file.size), UInt64(max(maxPixels, 0)), 0, reader, width, height, channels,
                text)
        }
    }

    /// Runs one of the shims' open functions: (reader, width, height, channels, message) → status.
    private init(
        as kind: (OpaquePointer) -> Handle,
        _ open: (
            UnsafeMutablePointer<OpaquePointer?>, UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>,
            UnsafeMutablePointer<Int32>, UnsafeMutablePointer<CChar>
        ) -> Int32
    ) throws(ImagingError) {
        var reader: OpaquePointer?
        var width: Int32 = 0
        var height: Int32 = 0
        var channels: Int32 = 0
        var message = ShimMessage()
        let status = message.withBuffer { text in open(&reader, &width, &height, &channels, text) }
        if let error = ImagingError.fromShim(status, message: message.text) { throw error }
        guard let reader else { throw .corrupt("decoder returned no reader") }
        self.handle = kind(reader)
        (self.width, self.height, self.channels) = (Int(width), Int(height), Int(channels))
        var profile: UnsafePointer<UInt8>?
        let size =
            switch handle {
            case .jpeg(let reader): mm_jpeg_reader_icc(reader, &profile)
            case .png(let reader): mm_png_reader_icc(reader, &profile)
            }
        iccProfile = profile.map { Array(UnsafeBufferPointer(start: $0, count: size)) }
    }

    deinit {
        switch handle {
        case .jpeg(let reader): mm_jpeg_reader_close(reader)
        case .png(let reader): mm_png_reader_close(reader)
        }
    }

    /// Bytes in one row.
    var stride: Int { width * channels }

    /// Decodes up to `count` rows into `rows` (at least `count × stride` bytes); fewer only at
    /// the end. The call that returns the last row has also checked what follows the image.
    func read(into rows: UnsafeMutablePointer<UInt8>, count: Int) throws(ImagingError) -> Int {
        var read: Int32 = 0
        var message = ShimMessage()
        let status = message.withBuffer { text in
            switch handle {
            case .jpeg(let reader): mm_jpeg_reader_read_rows(reader, rows, Int32(count), &read, text)
            case .png(let reader): mm_png_reader_read_rows(reader, rows, Int32(count), &read, text)
            }
        }
        if let error = ImagingError.fromShim(status, message: message.text) { throw error }
        return Int(read)
    }

    /// Every row, in one buffer.
    func readAll() throws(ImagingError) -> PixelBuffer {
        var pixels = [UInt8](repeating: 0, count: stride * height)
        var filled = 0
        var failure: ImagingError?
        pixels.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            do throws(ImagingError) {
                while filled < height {
                    let read = try read(into: base + filled * stride, count: height - filled)
                    if read == 0 { break }
                    filled += read
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        guard filled == height else { throw .corrupt("the decoder stopped at row \(filled) of \(height)") }
        return PixelBuffer(width: width, height: height, channels: channels, pixels: pixels)
    }
}
