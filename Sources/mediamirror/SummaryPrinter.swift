import Foundation
import MirrorEngine

/// Renders a sync summary for people: a small table (scripts get JSONOutput).
enum SummaryPrinter {
    static func text(_ summary: SyncSummary) -> String {
        var lines: [String] = []
        let mode = summary.dryRun ? " (dry run: nothing downloaded or written)" : ""
        lines.append("mediamirror sync\(mode)")
        lines.append(
            row(
                "posts", summary.postsScanned + summary.postsSkipped,
                [
                    ("rewritten", summary.postsRewritten), ("unchanged", summary.postsUnchanged),
                    ("skipped", summary.postsSkipped),
                ]))
        lines.append(
            row(
                "references", summary.references,
                [
                    ("mirrored", summary.referencesMirrored), ("failed", summary.referencesFailed),
                    ("pending", summary.referencesPending), ("skipped", summary.referencesSkipped),
                ]))
        lines.append(
            row(
                "urls", summary.urls,
                [
                    ("fetched", summary.urlsFetched), ("from manifest", summary.urlsFromManifest),
                    ("failed", summary.urlsFailed), ("deferred", summary.urlsDeferred),
                ]))
        if summary.urlsRevalidated > 0 {
            lines.append(
                row(
                    "revalidated", summary.urlsRevalidated,
                    [("still served", summary.urlsRevalidated - summary.urlsGone), ("origin gone", summary.urlsGone)]))
        }
        lines.append(
            "  " + "stored".padding(toLength: 11, withPad: " ", startingAt: 0)
                + "\(summary.assetsStored) originals, \(summary.thumbnailsMade) thumbnails, \(ByteCountText.of(summary.bytesDownloaded)) downloaded in "
                + String(format: "%.2f s", summary.seconds))
        if !summary.problems.isEmpty {
            lines.append("problems:")
            for problem in summary.problems {
                lines.append("  \(problem.subject)  [\(problem.kind)]  \(problem.message)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ name: String, _ total: Int, _ parts: [(String, Int)]) -> String {
        "  " + name.padding(toLength: 11, withPad: " ", startingAt: 0)
            + String(total).padding(toLength: 6, withPad: " ", startingAt: 0)
            + parts.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }
}
