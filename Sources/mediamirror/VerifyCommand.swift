import ArgumentParser
import Foundation
import MirrorEngine

/// `mediamirror verify`: re-hash stored files, optionally repair them.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-hash every stored original and check every thumbnail; --repair refetches and regenerates."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Refetch missing or corrupt originals (same bytes only) and regenerate thumbnails.")
    var repair = false

    @OptionGroup var output: OutcomeJSONOption

    func run() async throws {
        let context = try await global.engineContext(label: "mediamirror.verify")
        let outcome = try await MirrorExit.cannotRunOnError { try await Verifier(context).verify(repair: repair) }
        if output.json {
            JSONOutput.print(outcome)
        } else {
            print(
                "mediamirror verify: \(outcome.checked) originals checked, \(outcome.good) good, "
                    + "\(outcome.missing.count) missing, \(outcome.corrupt.count) corrupt, \(outcome.repaired.count) repaired; "
                    + "\(outcome.thumbnailsChecked) thumbnails checked, \(outcome.thumbnailsBad.count) bad, "
                    + "\(outcome.thumbnailsRegenerated) regenerated")
            for path in outcome.missing { print("  missing  \(path)") }
            for path in outcome.corrupt { print("  corrupt  \(path)") }
            for problem in outcome.unrepaired { print("  not repaired  \(problem.subject)  \(problem.message)") }
        }
        if !outcome.healthy { throw MirrorExit(code: MirrorExit.someFailed, message: nil) }
    }
}
