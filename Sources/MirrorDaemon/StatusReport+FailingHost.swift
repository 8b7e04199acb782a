import Foundation
import MirrorConfig
import MirrorEngine
import MirrorFetch
import MirrorStore

extension StatusReport {
    struct FailingHost: Sendable, Encodable {
        var host: String
        var urls: Int
    }
}
