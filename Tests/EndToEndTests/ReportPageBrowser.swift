import Foundation
import TestSupport
import Testing

/// A report page or the daemon's dashboard as headless Chromium shows it
/// (`Tests/Browser/report_page.py`), one view per window width; screenshots go to `output`.
enum ReportPageBrowser {
    static func views(of url: String, screenshots output: URL) throws -> [String: [String: Any]] {
        let script = Paths.repository.appendingPathComponent("Tests/Browser/report_page.py")
        let browser = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, url, output.path])
        try #require(browser.status == 0, "browser: \(browser.stderr)")
        let seen = try JSONSerialization.jsonObject(with: Data(browser.stdout.utf8)) as? [String: [String: Any]]
        return try #require(seen, "\(browser.stdout.prefix(500))")
    }

    /// Boxes whose declared outline does not have the aspect the card's text declares (or whose
    /// real box does not have the real image's), as readable lines.
    static func wrongBoxes(_ view: [String: Any]) -> [String] {
        let boxes = view["boxes"] as? [[String: Any]] ?? []
        return boxes.compactMap { box in
            let text = box["text"] as? String ?? ""
            let sizes = text.split(whereSeparator: { !$0.isNumber && $0 != "×" }).filter { $0.contains("×") }
                .map { $0.split(separator: "×").compactMap { Double($0) } }
            guard sizes.count == 2, sizes.allSatisfy({ $0.count == 2 && $0[0] > 0 }),
                let declared = box["declared"] as? [Double], let actual = box["actual"] as? [Double],
                declared.count == 2, actual.count == 2, declared[0] > 0, actual[0] > 0
            else { return "unreadable box: \(box)" }
            let declaredOK = abs(declared[1] / declared[0] - sizes[0][1] / sizes[0][0]) < 0.02
            let actualOK = abs(actual[1] / actual[0] - sizes[1][1] / sizes[1][0]) < 0.02
            return declaredOK && actualOK ? nil : "\(text): declared box \(declared), real box \(actual)"
        }
    }
}
