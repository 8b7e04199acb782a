import ArgumentParser
import Foundation
import MirrorEngine
import MirrorStore

/// `mediamirror report`: dimensions and failures from the manifest.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Show declared against real image sizes (mismatches first), failures by class and host, and totals.",
        discussion: """
            --json prints one object: references, assets, failures, gone, totals, referer_rules, rescued, suspects. --html FILE
            writes a page to read in a browser, with the images.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutcomeJSONOption

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also write the report as one self-contained HTML page (images beside their URLs, declared boxes drawn to scale).",
            valueName: "FILE"))
    var html: String?

    func run() async throws {
        let configuration = try await global.loadConfiguration()
        let report = try await MirrorExit.cannotRunOnError { try ReportBuilder(configuration: configuration).build() }
        if let html { try writePage(report, to: html) }
        if output.json {
            JSONOutput.print(report)
            return
        }
        if html != nil { return }
        print("dimensions (\(report.references.count) references)")
        for reference in report.references where reference.verdict != nil && reference.verdict != "match" {
            let declared = reference.declared.map { "\($0[0])x\($0[1])" } ?? "-"
            let actual = reference.actual.map { "\($0[0])x\($0[1])" } ?? "-"
            print(
                "  \(reference.verdict ?? "")".padding(toLength: 13, withPad: " ", startingAt: 0)
                    + "declared \(declared)".padding(toLength: 20, withPad: " ", startingAt: 0)
                    + "actual \(actual)".padding(toLength: 19, withPad: " ", startingAt: 0)
                    + "\(reference.post):\(reference.line) \(reference.place)")
        }
        let verdicts = report.totals.verdicts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        print("  verdicts: " + (verdicts.isEmpty ? "none yet" : verdicts.joined(separator: ", ")))
        print("failures (\(report.failures.count))")
        for (group, failures) in Dictionary(grouping: report.failures, by: { "\($0.class) \($0.host)" }).sorted(by: {
            $0.key < $1.key
        }) {
            print("  \(group): \(failures.count)")
            for failure in failures.prefix(5) { print("    \(failure.url)  \(failure.message)") }
            if failures.count > 5 { print("    … \(failures.count - 5) more") }
        }
        if !report.gone.isEmpty {
            print("origins gone (\(report.gone.count)), local copies kept")
            for gone in report.gone { print("  \(gone.url)") }
        }
        if !report.suspects.isEmpty {
            print("suspected placeholders (\(report.suspects.count)): one small picture for many URLs of a host")
            for suspect in report.suspects {
                print("  \(suspect.host) \(suspect.actual[0])x\(suspect.actual[1]) sha256 \(suspect.sha256)")
                for url in suspect.urls.prefix(5) { print("    \(url)") }
                if suspect.urls.count > 5 { print("    … \(suspect.urls.count - 5) more") }
            }
        }
        if !report.rescued.isEmpty {
            print("rescued from web archives (\(report.rescued.count))")
            var byPost: [String: [Report.Rescued]] = [:]
            for rescued in report.rescued { for post in rescued.posts { byPost[post, default: []].append(rescued) } }
            for (post, images) in byPost.sorted(by: { $0.key < $1.key }) {
                print("  \(post)")
                for image in images {
                    let when = image.capturedAt.map { " captured \(Date(timeIntervalSince1970: $0))" } ?? ""
                    print("    \(image.url)  from \(image.archiveURL)\(when)")
                }
            }
        }
        if !report.refererRules.isEmpty {
            print("learned Referer rules (\(report.refererRules.count))")
            for rule in report.refererRules {
                print("  \(rule.host)".padding(toLength: 34, withPad: " ", startingAt: 0) + "referer: \(rule.referer)")
            }
        }
        let totals = report.totals
        print(
            "totals: \(totals.posts) posts, \(totals.references) references (\(totals.local) local), "
                + "\(totals.assets) originals (\(ByteCountText.of(totals.assetBytes))), \(totals.thumbnails) thumbnails"
        )
    }

    /// Written whole beside its final name, then renamed: a reader never sees half a page.
    private func writePage(_ report: Report, to file: String) throws {
        let path = URL(fileURLWithPath: file).standardizedFileURL.path
        let directory = (path as NSString).deletingLastPathComponent
        let page = ReportPage(report: report, directory: directory).render()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try AtomicFile.write(Array(page.utf8), to: path)
        } catch {
            throw MirrorExit(code: MirrorExit.cannotRun, message: "report --html: cannot write \(path): \(error)")
        }
        FileHandle.standardError.write(
            Data("mediamirror report: wrote \(path) (\(ByteCountText.of(page.utf8.count)))\n".utf8))
    }
}
