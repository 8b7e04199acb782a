import Foundation
import Logging
import MirrorConfig
import MirrorFetch
import MirrorImaging
import MirrorStore

extension Verifier {
    public struct Outcome: Sendable, Codable, Equatable {
        public var checked = 0
        public var good = 0
        public var missing: [String] = []
        public var corrupt: [String] = []
        public var repaired: [String] = []
        public var unrepaired: [SyncProblem] = []
        public var thumbnailsChecked = 0
        public var thumbnailsBad: [String] = []
        public var thumbnailsRegenerated = 0

        enum CodingKeys: String, CodingKey {
            case checked, good, missing, corrupt, repaired, unrepaired
            case thumbnailsChecked = "thumbnails_checked"
            case thumbnailsBad = "thumbnails_bad"
            case thumbnailsRegenerated = "thumbnails_regenerated"
        }

        /// True when everything stored is (now) as the manifest says.
        public var healthy: Bool {
            unrepaired.isEmpty && (missing.count + corrupt.count == repaired.count)
                && thumbnailsBad.count <= thumbnailsRegenerated
        }
    }
}
