internal import CCodecShims

/// libjpeg-turbo through the setjmp-guarded shims.
public enum JPEGCodec {
    /// Decodes with DCT scaling by 1/`scaleDenominator` (1, 2, 4 or 8): shrink on load.
    /// At 1/8, a progressive file is first rewritten with only the coefficients the decode reads
    /// (`reduced`, else `ProgressiveScanFilter`): same pixels, a fraction of the memory and of the
    /// entropy decoding.
    public static func decode(
        _ data: [UInt8], scaleDenominator: Int = 1, maxPixels: Int
    ) throws(ImagingError)
        -> PixelBuffer
    {
        let stream = streamToDecode(data, scaleDenominator: scaleDenominator, maxPixels: maxPixels)
        return try decode(
            stream: stream.bytes, scaleDenominator: scaleDenominator, blockSmoothing: stream.blockSmoothing,
            maxPixels: maxPixels)
    }

    /// libjpeg's own decode of every scan with its defaults, no rewrite: the reference `decode`
    /// must equal pixel for pixel (the tests and the fuzzer compare the two).
    public static func decodeEveryScan(
        _ data: [UInt8], scaleDenominator: Int, maxPixels: Int
    ) throws(ImagingError) -> PixelBuffer {
        try decode(stream: data, scaleDenominator: scaleDenominator, blockSmoothing: true, maxPixels: maxPixels)
    }

    /// What a decode at 1/`scaleDenominator` hands libjpeg: at 1/8 a progressive file rewritten
    /// as a sequential one with only the coefficients the decode reads (`reduced`), else the
    /// stream without the scans it would not read, both with block smoothing off (it has nothing
    /// to do when either applies, see `ProgressiveScanFilter`); otherwise `data` with libjpeg's
    /// defaults.
    static func streamToDecode(
        _ data: [UInt8], scaleDenominator: Int, maxPixels: Int = 0
    ) -> (bytes: [UInt8], blockSmoothing: Bool) {
        guard scaleDenominator == 8 else { return (data, true) }
        if let reduced = reduced(data, scaleDenominator: scaleDenominator, maxPixels: maxPixels) {
            return (reduced, false)
        }
        if let filtered = droppingUnreadScans(data) { return (filtered, false) }
        return (data, true)
    }

    /// A progressive JPEG rewritten as a sequential one holding, per component, only the
    /// coefficients a decode at 1/`scaleDenominator` reads (`mm_jpeg_reduce`): decoded at that
    /// scale with block smoothing off it gives the original's pixels, row by row, without the
    /// coefficients of the whole image in memory. Nil when the file is not one the rewrite
    /// reproduces exactly (sequential, arithmetic-coded, damaged, unusual): decode the original.
    static func reduced(_ data: [UInt8], scaleDenominator: Int, maxPixels: Int) -> [UInt8]? {
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = ShimMessage()
        let status = data.withUnsafeBufferPointer { buffer in
            message.withBuffer { text in
                mm_jpeg_reduce(
                    buffer.baseAddress, buffer.count, -1, Int32(scaleDenominator), UInt64(max(maxPixels, 0)), &output,
                    &size, text)
            }
        }
        defer { mm_free(output) }
        guard status == MM_OK, let output else { return nil }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }

    /// The stream without the AC scans a 1/8 decode does not read, or nil (not progressive,
    /// every component reads ACs, or a structure the filter does not follow).
    static func droppingUnreadScans(_ data: [UInt8]) -> [UInt8]? {
        var needs = mm_jpeg_scan_needs_t()
        var message = ShimMessage()
        let status = data.withUnsafeBufferPointer { buffer in
            message.withBuffer { text in mm_jpeg_scan_needs(buffer.baseAddress, buffer.count, 8, &needs, text) }
        }
        guard status == MM_OK, needs.progressive != 0, needs.count > 0 else { return nil }
        let ids = withUnsafeBytes(of: needs.ids) { Array($0.bindMemory(to: Int32.self)) }
        let readsAC = withUnsafeBytes(of: needs.needs_ac) { Array($0.bindMemory(to: Int32.self)) }
        let kept = Set((0..<Int(needs.count)).filter { readsAC[$0] != 0 }.map { Int(ids[$0]) })
        guard kept.count < Int(needs.count) else { return nil }
        return ProgressiveScanFilter.dropACScans(data, keepingACOf: kept)
    }

    /// Decodes `data` as it is, every scan.
    static func decode(
        stream data: [UInt8], scaleDenominator: Int, blockSmoothing: Bool, maxPixels: Int
    ) throws(ImagingError) -> PixelBuffer {
        try data.withUnsafeBufferPointer { bytes throws(ImagingError) in
            try ImageRowReader(
                jpeg: bytes, scaleDenominator: scaleDenominator, blockSmoothing: blockSmoothing, maxPixels: maxPixels
            ).readAll()
        }
    }

    /// Encodes RGB or gray pixels: 4:2:0, optimized Huffman tables, progressive, no metadata.
    /// `iccProfile`: embedded as is (APP2), so colours stay what the original's profile says.
    public static func encode(
        _ image: PixelBuffer, quality: Int, progressive: Bool = true, iccProfile: [UInt8]? = nil
    ) throws(ImagingError) -> [UInt8] {
        let source = image.channels == 4 ? image.droppingAlpha() : image
        return try ShimEncoder.encode(source, iccProfile: iccProfile) { pixels, icc, iccSize, output, size, message in
            mm_jpeg_encode(
                pixels, Int32(source.width), Int32(source.height), Int32(source.channels), Int32(quality),
                progressive ? 1 : 0, icc, iccSize, output, size, message)
        }
    }
}
