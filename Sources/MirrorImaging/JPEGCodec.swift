internal import CCodecShims

/// libjpeg-turbo through the setjmp-guarded shims.
public enum JPEGCodec {
    /// Decodes with DCT scaling by 1/`scaleDenominator` (1, 2, 4 or 8): shrink on load.
    /// At 1/8, a progressive file's AC scans that the decode would not read are left out first
    /// (`ProgressiveScanFilter`): same pixels, a fraction of the entropy decoding.
    public static func decode(
        _ data: [UInt8], scaleDenominator: Int = 1, maxPixels: Int
    ) throws(ImagingError)
        -> PixelBuffer
    {
        let stream = streamToDecode(data, scaleDenominator: scaleDenominator)
        return try decode(
            stream: stream.bytes, scaleDenominator: scaleDenominator, blockSmoothing: stream.blockSmoothing,
            maxPixels: maxPixels)
    }

    /// What a decode at 1/`scaleDenominator` hands libjpeg: at 1/8 the stream without the scans
    /// it would not read, with block smoothing off (it has nothing to do when the filter
    /// applies, see `ProgressiveScanFilter`); otherwise `data` with libjpeg's defaults.
    static func streamToDecode(_ data: [UInt8], scaleDenominator: Int) -> (bytes: [UInt8], blockSmoothing: Bool) {
        if scaleDenominator == 8, let filtered = droppingUnreadScans(data) { return (filtered, false) }
        return (data, true)
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
