import Foundation
import MirrorConfig
import MirrorEngine
import MirrorFetch
import MirrorStore

extension StatusReport {
    struct ConfigurationState: Sendable, Encodable {
        @NullWhenAbsent var file: String?
        var reloads: Int
        @NullWhenAbsent var lastReloadAt: Date?
        @NullWhenAbsent var reloadError: String?
        var restartRequired: [String]
        var values: [String: String]
    }
}
