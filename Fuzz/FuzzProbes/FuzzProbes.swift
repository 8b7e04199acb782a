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

func fuzzProbes(_ bytes: [UInt8]) -> Int32 {
    _ = ImageFormat.sniff(bytes)
    guard let probe = try? ImageProber.probe(bytes) else { return 0 }
    precondition(probe.width >= 0 && probe.height >= 0)
    _ = try? Thumbnailer(quality: 75, maxPixels: 4_000_000).thumbnails(of: bytes, probe: probe, widths: [32])
    return 0
}
