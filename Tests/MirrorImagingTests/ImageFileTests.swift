import Foundation
import TestSupport
import Testing

@testable import MirrorImaging

/// Probing from a file's first bytes and decoding straight from the file give what the
/// in-memory path gives.
struct ImageFileTests {
    @Test func fileProbeAndThumbnailsMatchTheInMemoryPath() throws {
        let thumbnailer = Thumbnailer(quality: 82, maxPixels: 100_000_000)
        var compared = 0
        var beyondThePrefix = 0
        for entry in ImageCorpus.entries {
            let descriptor = open(entry.url.path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            let file = try ImageFile(descriptor: descriptor)
            let bytes = try file.bytes()
            if bytes.count > ImageFile.probePrefix { beyondThePrefix += 1 }
            let expected = Result { () throws(ImagingError) in try ImageProber.probe(bytes) }
            let probed = Result { () throws(ImagingError) in try file.probe() }
            #expect("\(probed)" == "\(expected)", "\(entry.path)")
            guard case .success(let probe) = expected, [.jpeg, .png].contains(probe.format) else { continue }
            let fromBytes = Result { () throws(ImagingError) in
                try thumbnailer.thumbnails(of: bytes, probe: probe, widths: [64, 200])
            }
            let fromFile = Result { () throws(ImagingError) in
                try thumbnailer.thumbnails(of: file, probe: probe, widths: [64, 200])
            }
            switch (fromBytes, fromFile) {
            case (.success(let memory), .success(let streamed)):
                #expect(memory.map(\.bytes) == streamed.map(\.bytes), "\(entry.path)")
            case (.failure(let memory), .failure(let streamed)):
                #expect(memory.failureClass == streamed.failureClass, "\(entry.path): \(memory) / \(streamed)")
            default:
                Issue.record("\(entry.path): \(fromBytes) from memory, \(fromFile) from the file")
            }
            compared += 1
        }
        #expect(compared > 300)
        #expect(beyondThePrefix > 20)
    }

    @Test func aTruncatedFileFailsLikeTruncatedBytes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mediamirror-imagefile-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, bytes) in [
            ("a.jpg", try TestImages.jpeg(width: 800, height: 600)),
            ("a.png", try TestImages.png(width: 800, height: 600)),
        ] {
            let whole = try ImageProber.probe(bytes)
            let truncated = Array(bytes.prefix(bytes.count * 2 / 3))
            let path = directory.appendingPathComponent(name).path
            try Data(truncated).write(to: URL(fileURLWithPath: path))
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            defer { close(descriptor) }
            let file = try ImageFile(descriptor: descriptor)
            #expect(throws: ImagingError.self, "\(name)") {
                try Thumbnailer().thumbnails(of: file, probe: whole, widths: [100])
            }
        }
    }
}
