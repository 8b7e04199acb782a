import Foundation

extension ReportPage {
    /// Failed URLs grouped by class, then host, with the server's or our reason.
    func failures(_ html: inout String) {
        html += "<section id=\"failures\"><h2>Failures (\(report.failures.count))</h2>\n"
        if report.failures.isEmpty { html += "<p class=\"muted\">None.</p>\n" }
        let groups = Dictionary(grouping: report.failures) { "\($0.class)\u{0}\($0.host)" }
        for key in groups.keys.sorted() {
            let failures = groups[key] ?? []
            guard let first = failures.first else { continue }
            html += "<details open><summary><strong>\(HTMLText.escape(first.class))</strong> "
            html += "<code>\(HTMLText.escape(first.host.isEmpty ? "(no host)" : first.host))</code> "
            html +=
                "<span class=\"muted\">\(failures.count == 1 ? "1 URL" : "\(failures.count) URLs")</span></summary><ul class=\"failures\">"
            for failure in failures.prefix(50) {
                html += "<li><code>\(HTMLText.escape(failure.url))</code> — \(HTMLText.escape(failure.message))"
                html +=
                    " <span class=\"muted\">(\(failure.attempts == 1 ? "1 attempt" : "\(failure.attempts) attempts")"
                html += failure.httpStatus.map { ", HTTP \($0)" } ?? ""
                html += ")</span></li>"
            }
            if failures.count > 50 { html += "<li class=\"muted\">… \(failures.count - 50) more</li>" }
            html += "</ul></details>\n"
        }
        html += "</section>\n"
    }

    /// Mirrored URLs whose origins now answer 404/410: the local copies are what keeps them.
    func gone(_ html: inout String) {
        html += "<section id=\"gone\"><h2>Origins gone (\(report.gone.count))</h2>\n"
        if report.gone.isEmpty {
            html += "<p class=\"muted\">None known.</p>\n"
        } else {
            html += "<ul class=\"failures\">"
            let formatter = ISO8601DateFormatter()
            for gone in report.gone.prefix(cardBudget) {
                let since = formatter.string(from: Date(timeIntervalSince1970: gone.since))
                html += "<li><code>\(HTMLText.escape(gone.url))</code> <span class=\"muted\">since \(since)</span></li>"
            }
            if report.gone.count > cardBudget {
                html += "<li class=\"muted\">… \(report.gone.count - cardBudget) more</li>"
            }
            html += "</ul>\n"
        }
        html += "</section>\n"
    }
}
