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

        enum CodingKeys: String, CodingKey {
            case phase
            case startedAt = "started_at"
            case postsScanned = "posts_scanned"
            case urls
            case urlsSettled = "urls_settled"
            case urlsFailed = "urls_failed"
            case bytesDownloaded = "bytes_downloaded"
            case postsRewritten = "posts_rewritten"
        }
    }
}
