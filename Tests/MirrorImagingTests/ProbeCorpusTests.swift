import Foundation
import MirrorImaging
import Testing

/// The header probe against Pillow's reading of every well-formed file in `../shared/images`.
struct ProbeCorpusTests {
    static let probed = ImageCorpus.wellFormed.filter { ["JPEG", "PNG", "GIF", "WEBP", "BMP"].contains($0.format) }

    @Test func theCorpusIsThere() {
        #expect(Self.probed.count > 500)
    }

    @Test(arguments: probed)
    func probeAgreesWithPillow(entry: ImageCorpus.Entry) throws {
        let bytes = try [UInt8](Data(contentsOf: entry.url))
        let probe = try ImageProber.probe(bytes)
        #expect(probe.format.rawValue == entry.format.lowercased())
        #expect(probe.width == entry.width)
        #expect(probe.height == entry.height)
        // An orientation tag outside 1...8 (Pillow reports it raw) displays as 1.
        let orientation = entry.orientation.flatMap { (1...8).contains($0) ? $0 : nil } ?? 1
        #expect(probe.orientation == orientation)
        // test_extents_transparency.gif has a second GIF header glued after its trailer-less first
        // frame; Pillow counts it as a frame, browsers do not.
        let knownFrameDisagreements = ["gif-webp/pillow/test_extents_transparency.gif"]
        if entry.format == "GIF" || entry.format == "WEBP", let frames = entry.frames,
            !knownFrameDisagreements.contains(entry.path)
        {
            #expect(probe.frames == frames)
        }
    }
}
