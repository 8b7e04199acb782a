extension ReportPage {
    /// Posts in the order of their first reference (references come mismatches first), each a
    /// collapsible list of image cards; posts with a mismatch start open. Once `cardBudget`
    /// cards are drawn, the remaining posts are listed one line each (at most `cardBudget * 2`),
    /// so a site of 50,000 references stays a page a browser opens at once.
    func images(_ html: inout String) {
        var order: [String] = []
        var byPost: [String: [Report.Reference]] = [:]
        for reference in report.references {
            if byPost[reference.post] == nil { order.append(reference.post) }
            byPost[reference.post, default: []].append(reference)
        }
        let assets = Dictionary(report.assets.map { ($0.sha256, $0) }, uniquingKeysWith: { first, _ in first })
        let failures = Dictionary(report.failures.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        html += "<section id=\"images\"><h2>Images (\(report.references.count) in \(order.count) posts)</h2>\n"
        var cards = 0
        var rest: [String] = []
        for post in order {
            let references = byPost[post] ?? []
            guard cards < cardBudget else {
                rest.append(post)
                continue
            }
            let counts = Self.described(references)
            html += references.contains { $0.verdict == "mismatch" } ? "<details open>" : "<details>"
            html += "<summary><code>\(HTMLText.escape(post))</code> <span class=\"muted\">"
            html += "\(HTMLText.escape(counts))</span></summary>\n<ul class=\"images\">"
            let shown = max(0, min(references.count, cardBudget - cards))
            for reference in references.prefix(shown) {
                let failure = reference.url.flatMap { failures[$0] }
                card(reference, asset: reference.sha256.flatMap { assets[$0] }, failure: failure, into: &html)
            }
            cards += shown
            html += "</ul>"
            if shown < references.count {
                html += "<p class=\"muted\">\(references.count - shown) more not shown here; "
                html += "<code>mediamirror report --json</code> lists every image.</p>"
            }
            html += "</details>\n"
        }
        otherPosts(rest, byPost: byPost, into: &html)
        html += "</section>\n"
    }

    /// The posts past the card budget, one line each.
    private func otherPosts(_ posts: [String], byPost: [String: [Report.Reference]], into html: inout String) {
        guard !posts.isEmpty else { return }
        let listed = posts.prefix(cardBudget * 2)
        html += "<details><summary>\(posts.count) more posts, their images not drawn</summary><ul class=\"failures\">"
        for post in listed {
            html += "<li><code>\(HTMLText.escape(post))</code> <span class=\"muted\">"
            html += "\(HTMLText.escape(Self.described(byPost[post] ?? [])))</span></li>"
        }
        if posts.count > listed.count {
            html += "<li class=\"muted\">… \(posts.count - listed.count) more; "
            html += "<code>mediamirror report --json</code> lists every image.</li>"
        }
        html += "</ul></details>\n"
    }

    /// `3 images: 1 match, 2 mismatch`.
    private static func described(_ references: [Report.Reference]) -> String {
        let counts = Dictionary(grouping: references, by: { verdictClass($0.verdict) }).mapValues(\.count)
        let noun = references.count == 1 ? "image" : "images"
        return "\(references.count) \(noun): "
            + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }

    /// One image: its local copy (the smallest thumbnail at least 240 px wide, else the largest,
    /// else the original), the verdict, the sizes, the declared box over the real aspect, the
    /// original URL, where it stands and, when it failed, why.
    private func card(
        _ reference: Report.Reference, asset: Report.Asset?, failure: Report.Failure?, into html: inout String
    ) {
        let verdict = Self.verdictClass(reference.verdict)
        html += "<li class=\"image \(verdict)\">"
        if let asset {
            let byWidth = asset.thumbnails.sorted { $0.width < $1.width }
            let thumbnail = byWidth.first { $0.width >= 240 } ?? byWidth.last
            let shown =
                thumbnail.map { ($0.path, $0.width, $0.height) }
                ?? (asset.path, asset.displayedWidth, asset.displayedHeight)
            let original = images.href(asset.path)
            let source = images.href(shown.0)
            html += "<a href=\"\(HTMLText.escape(original))\"><img src=\"\(HTMLText.escape(source))\" alt=\"\" "
            html += "loading=\"lazy\" width=\"\(shown.1)\" height=\"\(shown.2)\"></a>"
        } else {
            html += "<span class=\"missing\" title=\"not mirrored\"></span>"
        }
        let label = verdict == "unmirrored" ? "not mirrored" : verdict
        html += "<p><span class=\"verdict\">\(label)</span> "
        let declared = reference.declared.map { "\($0[0])×\($0[1])" } ?? "none"
        let actual = reference.actual.map { "\($0[0])×\($0[1])" } ?? "unknown"
        html += "declared \(declared), actual \(actual)</p>"
        if let actual = reference.actual, let declared = reference.declared { box(actual, declared, into: &html) }
        let url = reference.url ?? reference.originalValue
        if let target = HTMLText.linkTarget(url) {
            html += "<p><a href=\"\(target)\" rel=\"noreferrer noopener\">\(HTMLText.escape(url))</a></p>"
        } else {
            html += "<p><code>\(HTMLText.escape(url))</code></p>"
        }
        html += "<p class=\"muted\">\(HTMLText.escape(reference.place)), line \(reference.line)"
        html += reference.localValue == nil ? ", not rewritten" : ""
        html += "</p>"
        if let failure {
            html += "<p>\(HTMLText.escape(failure.class)): \(HTMLText.escape(failure.message))</p>"
        }
        html += "</li>\n"
    }

    /// The real image's aspect as a filled box 100 units wide, the declared size scaled to the
    /// same width outlined over it: a wrong aspect shows as a box taller or shorter than the image.
    private func box(_ actual: [Int], _ declared: [Int], into html: inout String) {
        guard actual.count == 2, declared.count == 2, actual[0] > 0, actual[1] > 0, declared[0] > 0, declared[1] > 0
        else { return }
        let actualHeight = 100 * Double(actual[1]) / Double(actual[0])
        let declaredHeight = 100 * Double(declared[1]) / Double(declared[0])
        let height = min(max(actualHeight, declaredHeight), 400) + 2
        html += "<svg class=\"box\" viewBox=\"-1 -1 102 \(Self.number(height))\" role=\"img\" "
        html += "aria-label=\"declared box over the real aspect\">"
        html += "<rect class=\"actual\" x=\"0\" y=\"0\" width=\"100\" height=\"\(Self.number(actualHeight))\"/>"
        html += "<rect class=\"declared\" x=\"0\" y=\"0\" width=\"100\" height=\"\(Self.number(declaredHeight))\"/>"
        html += "</svg>"
    }

    /// A verdict as a class name: the known ones, `unmirrored` for none (no stored image),
    /// anything else `unknown`.
    static func verdictClass(_ verdict: String?) -> String {
        switch verdict {
        case nil: "unmirrored"
        case "match", "scaled", "mismatch", "undeclared": verdict ?? "unknown"
        default: "unknown"
        }
    }

    private static func number(_ value: Double) -> String {
        String((value * 100).rounded() / 100)
    }
}
