import Foundation
import MirrorImaging
import Testing

/// Every broken, fuzzed or hostile file: a clean error or a result, never a crash.
struct MalformedCorpusTests {
    @Test func everyMalformedFileFailsCleanly() throws {
        let thumbnailer = Thumbnailer(quality: 82, maxPixels: 20_000_000)
        var outcomes: [String: Int] = [:]
        for entry in ImageCorpus.malformed {
            guard let bytes = try? [UInt8](Data(contentsOf: entry.url)) else { continue }
            do {
                let probe = try ImageProber.probe(bytes)
                _ = try thumbnailer.thumbnails(of: bytes, probe: probe, widths: [64])
                outcomes["ok", default: 0] += 1
            } catch {
                outcomes[error.failureClass, default: 0] += 1
            }
        }
        #expect(outcomes.values.reduce(0, +) > 1000)
        #expect(outcomes["corrupt_image", default: 0] > 0)
    }
}
