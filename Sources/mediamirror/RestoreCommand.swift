import ArgumentParser
import Foundation
import MirrorEngine

/// `mediamirror restore`: put original URLs back.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put the original image URLs back into posts (all posts when no PATH is given)."
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var output: OutcomeJSONOption

    @Argument(help: ArgumentHelp("Posts to restore, relative to the posts directory or absolute.", valueName: "PATH"))
    var paths: [String] = []

    func run() async throws {
        let context = try await global.engineContext(label: "mediamirror.restore")
        let outcome = try await MirrorExit.cannotRunOnError { try Restorer(context).restore(paths: paths) }
        if output.json {
            JSONOutput.print(outcome)
        } else {
            print(
                "mediamirror restore: \(outcome.postsRestored) posts restored (\(outcome.referencesRestored) references), "
                    + "\(outcome.postsUnchanged) unchanged")
            for problem in outcome.problems { print("  \(problem.subject)  [\(problem.kind)]  \(problem.message)") }
        }
        if !outcome.problems.isEmpty { throw MirrorExit(code: MirrorExit.someFailed, message: nil) }
    }
}
