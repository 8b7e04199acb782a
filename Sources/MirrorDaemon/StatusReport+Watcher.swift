import Foundation
import MirrorConfig
import MirrorEngine
import MirrorFetch
import MirrorStore

extension StatusReport {
    struct Watcher: Sendable, Encodable {
        var enabled: Bool
        var directories: Int
        var events: Int
        @NullWhenAbsent var error: String?

    }
}
