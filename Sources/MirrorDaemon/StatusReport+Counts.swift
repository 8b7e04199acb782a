import Foundation
import MirrorConfig
import MirrorEngine
import MirrorFetch
import MirrorStore

extension StatusReport {
    struct Counts: Sendable, Encodable {
        var posts: Int
        var references: Int
        var referencesMirrored: Int
        var urlsMirrored: Int
        var urlsFailed: Int
        var assets: Int
        var thumbnails: Int
    }
}
