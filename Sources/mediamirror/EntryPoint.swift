import ArgumentParser
import Foundation

/// Runs the command and maps errors to the documented exit codes: 0 all good, 1 some references
/// failed, 2 bad configuration or usage, 3 cannot run.
@main
enum EntryPoint {
    static func main() async {
        do {
            var command = try Mediamirror.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as MirrorExit {
            if let message = exit.message {
                FileHandle.standardError.write(Data(("mediamirror: " + message + "\n").utf8))
            }
            Foundation.exit(exit.code)
        } catch {
            let code = Mediamirror.exitCode(for: error)
            if code == .success {
                Mediamirror.exit(withError: error)
            }
            // Usage errors are exit code 2 here (the contract), not argument-parser's 64.
            let message = Mediamirror.fullMessage(for: error)
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(code == .validationFailure ? MirrorExit.usage : code.rawValue)
        }
    }
}
