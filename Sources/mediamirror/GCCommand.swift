import ArgumentParser
import Foundation
import MirrorEngine

/// `mediamirror gc`: remove stored files nothing references.
struct GCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove stored originals and thumbnails that no post and no manifest reference uses."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "List what would be removed; remove nothing.")
    var dryRun = false

    @Option(
        name: .long,
        help: ArgumentHelp("Keep unused files younger than this (90s, 15m, 2h, 7d).", valueName: "DURATION"))
    var grace = "1h"

    @OptionGroup var output: OutcomeJSONOption

    func validate() throws {
        guard GarbageCollector.parseDuration(grace) != nil else {
            throw ValidationError("--grace: '\(grace)' is not a duration such as 90s, 15m, 2h or 7d")
        }
    }

    func run() async throws {
        let context = try await global.engineContext(label: "mediamirror.gc")
        let outcome = try await MirrorExit.cannotRunOnError {
            try await GarbageCollector(context).collect(
                dryRun: dryRun, grace: GarbageCollector.parseDuration(grace) ?? 3600)
        }
        if output.json {
            JSONOutput.print(outcome)
            return
        }
        let verb = dryRun ? "would remove" : "removed"
        print(
            "mediamirror gc: \(verb) \(outcome.removed.count) files (\(ByteCountText.of(outcome.bytesRemoved))), "
                + "kept \(outcome.kept), \(outcome.tooRecent) unused but younger than \(grace)")
        for path in outcome.removed { print("  \(path)") }
    }
}
