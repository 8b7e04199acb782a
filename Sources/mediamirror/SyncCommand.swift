import ArgumentParser
import Foundation
import MirrorConfig
import MirrorEngine

/// `mediamirror sync`: one pass, then exit.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Scan the posts, mirror their images, make thumbnails and rewrite the posts, once."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Do everything except downloading and writing; report what would change.")
    var dryRun = false

    @OptionGroup var output: OutcomeJSONOption

    @Flag(name: .long, help: "Try failed URLs now instead of waiting for their retry time.")
    var retryFailed = false

    @Flag(
        name: .long,
        help:
            "Ask web archives for images whose origin lost them, for this run (as rescue.enabled: sends those image URLs to the archives)."
    )
    var rescue = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also ask the origins of images mirrored longer ago than this (90s, 15m, 2h, 7d) whether they still serve them.",
            valueName: "DURATION"))
    var revalidateOlderThan: String?

    func validate() throws {
        if let revalidateOlderThan, GarbageCollector.parseDuration(revalidateOlderThan) == nil {
            throw ValidationError(
                "--revalidate-older-than: '\(revalidateOlderThan)' is not a duration such as 90s, 15m, 2h or 7d")
        }
    }

    func run() async throws {
        let context = try await global.engineContext(label: "mediamirror.sync", checkingPaths: true)
        let summary: SyncSummary
        // A live status line on a terminal; log lines only otherwise (and with --json).
        let display = output.json ? nil : ProgressDisplay.forTerminal()
        do {
            var options = SyncEngine.Options(dryRun: dryRun, retryFailed: retryFailed)
            options.revalidateOlderThan = revalidateOlderThan.flatMap(GarbageCollector.parseDuration)
            options.rescue = rescue
            if let display {
                options.progress = { progress in display.update(progress) }
            }
            summary = try await SyncEngine(context).run(options)
            display?.stop()
        } catch let error as SyncError {
            display?.stop()
            throw MirrorExit(code: MirrorExit.cannotRun, message: error.description)
        }
        if output.json {
            JSONOutput.print(summary)
        } else {
            for diff in summary.diffs { print(diff, terminator: "") }
            print(SummaryPrinter.text(summary), terminator: "")
        }
        if summary.diskFull || summary.problems.contains(where: { $0.kind == .diskFull }) {
            throw MirrorExit(
                code: MirrorExit.cannotRun,
                message:
                    "no space left for \(context.configuration.site.media) (or the posts): the run stopped; posts point only at files stored in full"
            )
        }
        if summary.hasFailures { throw MirrorExit(code: MirrorExit.someFailed, message: nil) }
    }
}
