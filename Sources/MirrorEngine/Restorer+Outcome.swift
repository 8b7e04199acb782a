import Foundation
import Logging
import MirrorConfig
import MirrorPosts
import MirrorStore

extension Restorer {
    public struct Outcome: Sendable, Codable, Equatable {
        public var postsRestored = 0
        public var referencesRestored = 0
        public var postsUnchanged = 0
        public var problems: [SyncProblem] = []

        enum CodingKeys: String, CodingKey {
            case postsRestored = "posts_restored"
            case referencesRestored = "references_restored"
            case postsUnchanged = "posts_unchanged"
            case problems
        }
    }
}
