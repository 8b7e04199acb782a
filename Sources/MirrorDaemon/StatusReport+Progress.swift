import Foundation
import MirrorConfig
import MirrorEngine
import MirrorFetch
import MirrorStore

extension StatusReport {
    struct Progress: Sendable, Encodable {
        var phase: String
        var startedAt: Date?
        var postsScanned: Int
        var urls: Int
        var urlsSettled: Int
        var urlsFailed: Int
        var bytesDownloaded: Int
        var postsRewritten: Int
    }
}
