import CFuzz
import Foundation
import MirrorImaging

/// libFuzzer entry point: header probes, then the real decoders and thumbnailer on arbitrary
/// bytes, under a small pixel budget. Anything may fail; nothing may crash or leak.
@main
enum FuzzProbesEntry {
    static func main() {
        var count = CommandLine.argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(
            LLVMFuzzerRunDriver(&count, &arguments) { data, size in
                guard let data else { return 0 }
                return fuzzProbes(Array(UnsafeBufferPointer(start: data, count: size)))
            })
    }
}

/// libFuzzer's runtime references this symbol even when its driver is given the callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    return fuzzProbes(Array(UnsafeBufferPointer(start: data, count: size)))
}

/// FUZZ_FORMAT narrows a run to one format's probe and decoder by putting its signature in
/// front of every input: `jpeg`, `png`, `gif`, `webp`, `bmp`, `avif`, `svg`; unset: any bytes.
let signature: [UInt8] = {
    switch ProcessInfo.processInfo.environment["FUZZ_FORMAT"] ?? "" {
    case "jpeg": [0xFF, 0xD8, 0xFF]
    case "png": [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    case "gif": Array("GIF89a".utf8)
    case "webp": Array("RIFF".utf8) + [0x40, 0, 0, 0] + Array("WEBP".utf8)
    case "bmp": Array("BM".utf8)
    case "avif": [0, 0, 0, 0x1C] + Array("ftypavif".utf8)
    case "svg": Array("<svg ".utf8)
    default: []
    }
}()

/// One file, rewritten for each input: the file path (probe from the first bytes, pread-fed
/// libjpeg source, PNG chunk walk over the file) must agree with the in-memory path.
let scratch: Int32 = {
    var template = Array("/tmp/mediamirror-fuzz-XXXXXX".utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { buffer in
        buffer.baseAddress.map { mkstemp($0) } ?? -1
    }
    precondition(descriptor >= 0, "cannot create the scratch file")
    template.withUnsafeBufferPointer { buffer in _ = buffer.baseAddress.map { unlink($0) } }
    return descriptor
}()

/// FUZZ_PART=reduce: the 1/8 decode (a progressive file rewritten with only the coefficients
/// it reads) against libjpeg's own decode of every scan. Whenever libjpeg decodes the input, the
/// rewrite gives the same pixels or steps aside; it may decode a file libjpeg refuses only for
/// damage inside a scan it skips.
let reduceOnly = ProcessInfo.processInfo.environment["FUZZ_PART"] == "reduce"

func fuzzReduction(_ bytes: [UInt8]) -> Int32 {
    let budget = 4_000_000
    guard let reference = try? JPEGCodec.decodeEveryScan(bytes, scaleDenominator: 8, maxPixels: budget) else {
        _ = try? JPEGCodec.decode(bytes, scaleDenominator: 8, maxPixels: budget)
        return 0
    }
    let decoded = Result { () throws(ImagingError) in
        try JPEGCodec.decode(bytes, scaleDenominator: 8, maxPixels: budget)
    }
    guard case .success(let pixels) = decoded else {
        preconditionFailure("libjpeg decodes what the 1/8 path refuses: \(decoded)")
    }
    precondition(
        (pixels.width, pixels.height, pixels.channels) == (reference.width, reference.height, reference.channels)
            && pixels.pixels == reference.pixels, "the 1/8 decode differs from libjpeg's")
    return 0
}

func fuzzProbes(_ input: [UInt8]) -> Int32 {
    let bytes = signature + input
    if reduceOnly { return fuzzReduction(bytes) }
    _ = ImageFormat.sniff(bytes)
    precondition(ftruncate(scratch, 0) == 0 && pwrite(scratch, bytes, bytes.count, 0) == bytes.count)
    let file = try? ImageFile(descriptor: scratch)
    let probedFromFile = Result { () throws(ImagingError) in try file?.probe() }
    guard let probe = try? ImageProber.probe(bytes) else { return 0 }
    precondition(probe.width >= 0 && probe.height >= 0)
    precondition((try? probedFromFile.get()) == probe, "the file probe disagrees")
    let thumbnailer = Thumbnailer(quality: 75, maxPixels: 4_000_000)
    let fromBytes = try? thumbnailer.thumbnails(of: bytes, probe: probe, widths: [32])
    if let file {
        // Where both succeed, the same thumbnails. One may fail alone on corrupt data only:
        // libjpeg-turbo's fast Huffman decoder puts a zero for an invalid code without a
        // warning, and it runs only while a whole MCU's worth of input is buffered, so a
        // file read 64 KB at a time meets the warning (fatal here) near each refill where
        // the same bytes in memory may not.
        let fromFile = Result { () throws(ImagingError) in
            try thumbnailer.thumbnails(of: file, probe: probe, widths: [32])
        }
        switch (fromBytes, fromFile) {
        case (.some(let memory), .success(let streamed)):
            precondition(memory.map(\.bytes) == streamed.map(\.bytes), "the file path disagrees")
        case (.some, .failure(let error)):
            precondition(error.failureClass == "corrupt_image", "the file path alone fails: \(error)")
        case (.none, .success):
            precondition(probe.format == .jpeg, "the memory path alone fails")
        case (.none, .failure):
            break
        }
    }
    return 0
}
