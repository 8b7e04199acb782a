import Crypto
import Foundation
import Testing

@testable import MirrorEngine

/// The report page as text: every value escaped wherever it stands, only http(s) URLs linked,
/// local images linked relative to the page, large reports collapsed, the style allowed by hash.
struct ReportPageRenderTests {
    static let hostile = "\"'><script>window.pwned=1</script></style><img src=x onerror=alert(1)>&amp;"

    static func report(references: Int = 1, post: String = "p.md", url: String = "http://a.example/x.jpg") -> Report {
        var totals = Report.Totals()
        totals.verdicts = [hostile: 1]
        return Report(
            references: (0..<references).map { index in
                Report.Reference(
                    post: post, place: hostile, kind: "html_attribute", line: index + 1, originalValue: url, url: url,
                    localValue: nil, declared: [300, 100], actual: [64, 48], verdict: "mismatch", sha256: "ab")
            },
            assets: [
                Report.Asset(
                    sha256: "ab", path: "/site/media/a b/\(hostile).jpg", bytes: 9, type: "jpeg", width: 64, height: 48,
                    orientation: 1, displayedWidth: 64, displayedHeight: 48,
                    thumbnails: [Report.Thumbnail(width: 32, height: 24, path: "/site/media/t<1>.jpg", format: "jpeg")])
            ],
            failures: [
                Report.Failure(url: url, host: hostile, class: hostile, message: hostile, attempts: 1, httpStatus: nil)
            ],
            gone: [Report.Gone(url: hostile, since: 0, sha256: nil)], totals: totals)
    }

    @Test func everyValueIsEscaped() {
        let html = ReportPage(
            report: Self.report(post: Self.hostile, url: "http://a.example/\(Self.hostile)"),
            directory: "/site/report"
        ).render()
        #expect(!html.contains("<script"))
        #expect(!html.contains("onerror=alert(1)>"))
        #expect(!html.contains("</style><img"))
        #expect(html.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;"))
        #expect(html.components(separatedBy: "<style>").count == 2, "one style element, ours")
    }

    @Test func onlyWebURLsAreLinks() {
        let page = ReportPage(report: Self.report(url: "javascript:alert(1)"), directory: "/site/report").render()
        #expect(!page.contains("href=\"javascript:"))
        #expect(page.contains("<code>javascript:alert(1)</code>"))
        #expect(HTMLText.linkTarget("HTTPS://a.example/x.jpg") != nil)
        #expect(HTMLText.linkTarget("data:image/png;base64,AA") == nil)
    }

    @Test func localImagesAreRelativeToThePage() {
        #expect(RelativeLink.from(directory: "/site/report", to: "/site/media/ab/c.jpg") == "../media/ab/c.jpg")
        #expect(RelativeLink.from(directory: "/site", to: "/site/media/c.jpg") == "media/c.jpg")
        #expect(RelativeLink.from(directory: "/", to: "/m/a b?#.jpg") == "m/a%20b%3F%23.jpg")
        #expect(RelativeLink.from(directory: "/x/./y/../z", to: "/x/m.jpg") == "../m.jpg")
        let html = ReportPage(report: Self.report(), directory: "/site/report").render()
        #expect(html.contains("src=\"../media/t%3C1%3E.jpg\""), "the only thumbnail, under 240 px")
    }

    @Test func largeReportsCollapse() {
        let html = ReportPage(report: Self.report(references: 5), directory: "/site", cardBudget: 2).render()
        #expect(html.components(separatedBy: "<li class=\"image").count - 1 == 2)
        #expect(html.contains("3 more not shown here"))
    }

    @Test func postsPastTheBudgetAreOneLineEach() {
        var report = Self.report(references: 1)
        report.references = (0..<7).map { index in
            var reference = Self.report().references[0]
            reference.post = "post-\(index).md"
            return reference
        }
        let html = ReportPage(report: report, directory: "/site", cardBudget: 2).render()
        #expect(html.components(separatedBy: "<li class=\"image").count - 1 == 2)
        #expect(html.contains("5 more posts, their images not drawn"))
        #expect(html.contains("<li><code>post-2.md</code>") && html.contains("<li><code>post-5.md</code>"))
        #expect(!html.contains("post-6.md"), "at most twice the budget listed")
        #expect(html.contains("… 1 more;"))
    }

    @Test func theStyleIsAllowedByItsHash() {
        let hash = Data(SHA256.hash(data: Array(ReportPage.styleSheet.utf8))).base64EncodedString()
        let html = ReportPage(report: Self.report(), directory: "/site").render()
        #expect(html.contains("style-src 'sha256-\(hash)'"))
        #expect(html.contains("<style>\(ReportPage.styleSheet)</style>"))
        #expect(ReportPage.contentSecurityPolicy.contains("default-src 'none'"))
    }
}
