import ArgumentParser
import Foundation
import MirrorConfig
import MirrorDaemon

/// `mediamirror daemon`: the long-running service.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run as a service: watch the posts, sync on changes and on a schedule, serve health and metrics.",
        discussion: """
            Speaks systemd's notify protocol (Type=notify, WatchdogSec=) when NOTIFY_SOCKET is set.
            SIGTERM or SIGINT stops it gracefully; SIGHUP reloads the configuration file.
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let configuration = try await global.loadConfiguration(checkingPaths: true)
        let logger = global.makeLogger(label: "mediamirror")
        do {
            try await Daemon(
                configuration: configuration, configurationPath: configuration.sourcePath ?? global.config,
                logger: logger
            ).run()
        } catch {
            // The daemon has logged the cause (and told systemd).
            throw MirrorExit(code: MirrorExit.cannotRun, message: nil)
        }
    }
}
