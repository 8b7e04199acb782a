import Foundation
import MirrorConfig
import MirrorFetch
import MirrorPosts

/// What a sync needs to rescue lost images from web archives (`rescue.*`): the archives in
/// order, their politeness gate, and each URL's date to ask for (its earliest post's).
struct ArchiveRescue: Sendable {
    let archives: [ArchiveEndpoint]
    let gate: ArchiveGate
    /// Seconds since the epoch, by URL.
    let dates: [String: Double]

    init(settings: RescueSettings, dates: [String: Double]) {
        archives = settings.archives
        gate = ArchiveGate(perHost: settings.perHost)
        self.dates = dates
    }

    /// Each URL's date to ask archives for: the earliest of its posts' front-matter dates,
    /// else of the post files' modification times.
    static func dates(of posts: [ScannedPost]) -> [String: Double] {
        var dates: [String: Double] = [:]
        for post in posts {
            let targets = post.references.compactMap(\.target)
            guard !targets.isEmpty else { continue }
            let date =
                PostDate.parse(post.bytes)
                ?? ((try? FileManager.default.attributesOfItem(atPath: post.path))?[.modificationDate] as? Date)?
                .timeIntervalSince1970
            guard let date else { continue }
            for target in targets { dates[target.url] = min(dates[target.url] ?? date, date) }
        }
        return dates
    }

    /// Failures an archive may mend: the origin lost the image (404, 410), is gone (DNS,
    /// connection refused) or serves something else in its place (HTML, a placeholder).
    /// Transient trouble is retried instead; refusals and caps are not the origin's loss.
    static func mends(_ kind: FailureClass, httpStatus: Int?) -> Bool {
        switch kind {
        case FailureClass(.dns), FailureClass(.connect), .placeholder, FailureClass(rawValue: "not_an_image"):
            return true
        case .httpStatus:
            return httpStatus == 404 || httpStatus == 410
        default:
            return false
        }
    }
}
