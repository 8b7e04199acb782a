import Foundation
import MirrorEngine

/// `GET /`: the report page with the daemon's state before it — the pass in progress, the last
/// pass, the backlog, failing hosts, disk, configuration, links to `/status` and `/metrics` —
/// reloading itself while it is looked at; its images come from `/media/`.
enum DashboardPage {
    static let refreshSeconds = 30

    static func render(status: StatusReport, recentPasses: [PassRecord], report: Report, mediaRoot: String) -> String {
        var page = ReportPage(report: report, images: .served(prefix: MediaFiles.routePrefix, root: mediaRoot))
        page.refreshSeconds = refreshSeconds
        page.status = facts(status)
        page.statusSections = [
            ("Recent passes (\(recentPasses.count))", recentPasses.map(fact)),
            (
                "Configuration in force",
                status.configuration.values.sorted { $0.key < $1.key }.map { ReportPage.Fact($0.key, $0.value) }
            ),
        ]
        page.statusLinks = [ReportPage.Fact("/status (JSON)", "/status"), ReportPage.Fact("/metrics", "/metrics")]
        return page.render()
    }

    static func facts(_ status: StatusReport) -> [ReportPage.Fact] {
        var facts = [ReportPage.Fact("state", status.ready ? "ready" : "not ready: \(status.notReady ?? "starting")")]
        if let progress = status.progress {
            facts.append(
                ReportPage.Fact(
                    "pass in progress",
                    "\(progress.phase): \(progress.urlsSettled) of \(progress.urls) URLs settled, "
                        + "\(progress.urlsFailed) failed, \(progress.postsRewritten) posts rewritten"))
        } else {
            facts.append(ReportPage.Fact("pass in progress", "none (idle)"))
        }
        if let last = status.lastPass {
            let error = last.error.map { " — \($0)" } ?? ""
            facts.append(
                ReportPage.Fact(
                    "last pass",
                    "\(last.outcome.rawValue), \(iso(last.finishedAt)), \(String(format: "%.1f", last.seconds)) s: "
                        + "\(last.urlsFetched) fetched, \(last.urlsFailed) failed\(error)"))
        }
        facts.append(ReportPage.Fact("passes", "\(status.passes)"))
        let retry = status.backlog.nextRetryAt.map { ", next retry \(iso($0))" } ?? ""
        facts.append(
            ReportPage.Fact(
                "backlog",
                "\(status.backlog.postsPending) posts pending, \(status.backlog.urlsFailed) failed URLs\(retry)"))
        let hosts = status.failingHosts.prefix(5).map { "\($0.host) (\($0.urls))" }
        facts.append(ReportPage.Fact("failing hosts", hosts.isEmpty ? "none" : hosts.joined(separator: ", ")))
        let free = status.disk.freeBytes.map { ByteCountText.of($0) + " free" } ?? "free space unknown"
        facts.append(
            ReportPage.Fact(
                "media directory",
                "\(status.disk.directory): \(free), \(status.disk.writable ? "writable" : "NOT writable")"))
        let reload = status.configuration.reloadError.map { "; last reload failed: \($0)" } ?? ""
        facts.append(
            ReportPage.Fact(
                "configuration",
                "\(status.configuration.file ?? "defaults"), reloaded \(status.configuration.reloads) times\(reload)"))
        facts.append(
            ReportPage.Fact("version", "\(status.version), pid \(status.pid), up \(Int(status.uptimeSeconds)) s"))
        return facts
    }

    /// One pass: when it ended, why it ran, how it went.
    private static func fact(_ pass: PassRecord) -> ReportPage.Fact {
        let error = pass.error.map { " — \($0)" } ?? ""
        return ReportPage.Fact(
            iso(pass.finishedAt),
            "\(pass.outcome.rawValue) (\(pass.reasons.joined(separator: ", "))), \(String(format: "%.1f", pass.seconds)) s: "
                + "\(pass.postsScanned) posts scanned, \(pass.postsRewritten) rewritten, \(pass.urlsFetched) URLs fetched, "
                + "\(pass.urlsFailed) failed\(error)")
    }

    private static func iso(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
