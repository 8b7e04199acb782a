import Foundation
import MirrorConfig
import MirrorEngine
import MirrorFetch
import MirrorStore

extension StatusReport {
    struct Backlog: Sendable, Encodable {
        var postsPending: Int
        var urlsFailed: Int
        @NullWhenAbsent var nextRetryAt: Date?
    }
}
