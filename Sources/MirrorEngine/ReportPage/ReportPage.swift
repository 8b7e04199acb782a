import Foundation

/// `mediamirror report --html`: the report as one self-contained page a person reads — totals,
/// each post's images beside their original URLs with the declared box drawn over the real
/// aspect (mismatches first), failures by class and host, origins gone. No script, no external
/// request; every value escaped. Large sites are collapsed: past `cardBudget` images a post
/// lists counts only (`report --json` lists everything).
public struct ReportPage: Sendable {
    let report: Report
    let images: ImageLinks
    let generatedAt: Date
    let cardBudget: Int
    /// What the daemon says about itself, shown before the report (empty for `report --html`).
    public var status: [Fact] = []
    /// More of it under headings of their own (recent passes, the configuration in force).
    public var statusSections: [(title: String, facts: [Fact])] = []
    /// Links shown with the status (`/status`, `/metrics`).
    public var statusLinks: [Fact] = []
    /// The daemon's page reloads itself (no script needed) while it is being looked at.
    public var refreshSeconds: Int?

    /// A name and a value, both shown as text.
    public struct Fact: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(report: Report, images: ImageLinks, generatedAt: Date = Date(), cardBudget: Int = 1_000) {
        self.report = report
        self.images = images
        self.generatedAt = generatedAt
        self.cardBudget = cardBudget
    }

    /// The page `report --html` writes in `directory`, its images linked relative to it.
    public init(report: Report, directory: String, generatedAt: Date = Date(), cardBudget: Int = 1_000) {
        self.init(
            report: report, images: .relative(directory: directory), generatedAt: generatedAt, cardBudget: cardBudget)
    }

    public func render() -> String {
        var html = ""
        html.reserveCapacity(64 * 1024 + min(report.references.count, cardBudget) * 700)
        head(&html)
        daemonStatus(&html)
        totals(&html)
        images(&html)
        failures(&html)
        gone(&html)
        html += "</main></body></html>\n"
        return html
    }

    private func head(_ html: inout String) {
        let generated = ISO8601DateFormatter().string(from: generatedAt)
        html += """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="\(Self.contentSecurityPolicy)">
            <meta name="referrer" content="no-referrer">\(refreshSeconds.map { "\n<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? "")
            <link rel="icon" href="data:,">
            <title>mediamirror report</title>
            <style>\(Self.styleSheet)</style>
            </head><body><main>
            <h1>mediamirror report</h1>
            <p class="muted">Generated \(generated). Mismatched declared sizes first.</p>
            <nav><a href="#images">Images</a><a href="#failures">Failures</a><a href="#gone">Origins gone</a></nav>

            """
    }

    private func daemonStatus(_ html: inout String) {
        guard !status.isEmpty else { return }
        html += "<section id=\"daemon\"><h2>Daemon</h2><dl class=\"facts\">"
        for fact in status {
            html += "<dt>\(HTMLText.escape(fact.name))</dt><dd>\(HTMLText.escape(fact.value))</dd>"
        }
        html += "</dl>"
        for section in statusSections where !section.facts.isEmpty {
            html += "<details><summary>\(HTMLText.escape(section.title))</summary><dl class=\"facts\">"
            for fact in section.facts {
                html += "<dt>\(HTMLText.escape(fact.name))</dt><dd>\(HTMLText.escape(fact.value))</dd>"
            }
            html += "</dl></details>"
        }
        html += "<p>"
        for link in statusLinks {
            html += "<a href=\"\(HTMLText.escape(link.value))\">\(HTMLText.escape(link.name))</a> "
        }
        html += "</p></section>\n"
    }

    private func totals(_ html: inout String) {
        let totals = report.totals
        var items: [(String, String)] = [
            ("posts", "\(totals.posts)"), ("references", "\(totals.references)"), ("local", "\(totals.local)"),
            ("originals", "\(totals.assets)"), ("stored", ByteCountText.of(totals.assetBytes)),
            ("thumbnails", "\(totals.thumbnails)"), ("failed URLs", "\(totals.failures)"),
        ]
        for (verdict, count) in totals.verdicts.sorted(by: { $0.key < $1.key }) { items.append((verdict, "\(count)")) }
        html += "<dl class=\"totals\">"
        for (name, value) in items {
            html += "<div><dt>\(HTMLText.escape(name))</dt><dd>\(HTMLText.escape(value))</dd></div>"
        }
        html += "</dl>\n"
    }
}
