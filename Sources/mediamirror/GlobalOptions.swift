import ArgumentParser
import Foundation
import Logging
import MirrorConfig
import MirrorEngine

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The configuration file.", valueName: "FILE"))
    var config: String =
        ProcessInfo.processInfo.environment["MEDIAMIRROR_CONFIG"] ?? "/etc/mediamirror/mediamirror.yaml"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    /// Loads the configuration, turning every problem into exit code 2 with the key and reason.
    /// `checkingPaths`: also require the posts directory (and CA bundle) to be usable, for the
    /// commands that sync.
    func loadConfiguration(checkingPaths: Bool = false) async throws -> MirrorConfiguration {
        do {
            let configuration = try await ConfigurationLoader().load(path: config)
            if checkingPaths { try configuration.checkPaths() }
            return configuration
        } catch let error as ConfigurationError {
            throw MirrorExit(code: MirrorExit.usage, message: error.description)
        }
    }

    /// The configuration and a logger labelled `label`: what an engine job is made from.
    func engineContext(label: String, checkingPaths: Bool = false) async throws -> EngineContext {
        let configuration = try await loadConfiguration(checkingPaths: checkingPaths)
        return EngineContext(configuration: configuration, logger: makeLogger(label: label))
    }

    func makeLogger(label: String) -> Logger {
        let level = logLevel
        let journal = JournalLogHandler.stderrIsJournal()
        LoggingSystem.bootstrap { label in
            if journal {
                return JournalLogHandler(logLevel: level, label: label)
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
