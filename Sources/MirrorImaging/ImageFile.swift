import Foundation

/// An image file to probe and thumbnail without holding it in memory where that can be avoided:
/// JPEG and PNG headers are probed from the first bytes, and a sequential JPEG or a PNG is
/// decoded straight from the file. The descriptor is borrowed: the caller keeps it open (and
/// closes it) around every use.
public struct ImageFile: Sendable {
    public let descriptor: Int32
    /// Bytes in the file when it was opened here.
    public let size: Int

    /// How much is read to probe JPEG and PNG headers: EXIF, ICC and XMP segments before a
    /// JPEG's frame header rarely come to more; when they do, the whole file is read.
    static let probePrefix = 256 << 10

    public init(descriptor: Int32) throws(ImagingError) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .corrupt("cannot stat the file: errno \(errno)") }
        self.descriptor = descriptor
        self.size = Int(info.st_size)
    }

    /// The file's bytes from `offset`, at most `count`.
    func read(offset: Int, count: Int) throws(ImagingError) -> [UInt8] {
        let wanted = max(0, min(count, size - offset))
        var bytes = [UInt8](repeating: 0, count: wanted)
        var done = 0
        var failed: Int32 = 0
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while done < wanted {
                let read = pread(descriptor, base + done, wanted - done, off_t(offset + done))
                if read < 0 && errno == EINTR { continue }
                if read < 0 { failed = errno }
                if read <= 0 { break }
                done += read
            }
        }
        if failed != 0 { throw .corrupt("cannot read the file: errno \(failed)") }
        return done == wanted ? bytes : Array(bytes.prefix(done))
    }

    /// Every byte of the file.
    public func bytes() throws(ImagingError) -> [UInt8] {
        try read(offset: 0, count: size)
    }

    /// What `ImageProber.probe` says of the whole file, read from its first bytes when the
    /// format's headers are known to end there.
    public func probe() throws(ImagingError) -> ImageProbe {
        let head = try read(offset: 0, count: Self.probePrefix)
        guard head.count < size else { return try ImageProber.probe(head) }
        guard let format = ImageFormat.sniff(head) else { return try ImageProber.probe(bytes()) }
        switch format {
        case .jpeg:
            // Everything the JPEG probe reads comes before the frame header; not finding it in
            // the prefix is not an error yet.
            if let probe = try? ImageProber.probe(head) { return probe }
        case .png:
            if ImageProber.pngHeadersEnd(in: head), let probe = try? ImageProber.probe(head) { return probe }
        default:
            break
        }
        return try ImageProber.probe(bytes())
    }

    /// True when the file is a progressive (multi-scan) JPEG, judged from its frame header,
    /// found from the first bytes when it is there (as in `probe()`).
    func isProgressiveJPEG() throws(ImagingError) -> Bool {
        func frameMarker(_ bytes: [UInt8]) -> UInt8? {
            var reader = ByteReader(bytes)
            return try? ImageProber.jpegFrame(&reader).marker
        }
        let head = try read(offset: 0, count: Self.probePrefix)
        var marker = frameMarker(head)
        if marker == nil && head.count < size { marker = frameMarker(try bytes()) }
        // SOF2, SOF6, SOF10, SOF14: the progressive kinds.
        return marker.map { [0xC2, 0xC6, 0xCA, 0xCE].contains($0) } ?? false
    }
}
