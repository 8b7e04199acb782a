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
            SIGTERM or SIGINT stops it gracefully, within daemon.stop_timeout + 5 s whatever it is \
            doing; SIGHUP reloads the configuration file.
            It holds the site's lock while it runs (sync, restore and gc exit 3 meanwhile). \
            Exits 3, naming the cause, when it cannot run (health.listen in use, another daemon \
            on the site, an unwritable media directory).
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let configuration = try await global.loadConfiguration(checkingPaths: true)
        let access: HealthAccess
        do {
            access = try HealthAccess(settings: configuration.health)
        } catch {
            throw MirrorExit(code: MirrorExit.usage, message: error.description)
        }
        let logger = global.makeLogger(label: "mediamirror")
        do {
            try await Daemon(
                configuration: configuration, configurationPath: configuration.sourcePath ?? global.config,
                access: access, logger: logger
            ).run()
        } catch {
            // The daemon has logged the cause (and told systemd).
            throw MirrorExit(code: MirrorExit.cannotRun, message: nil)
        }
    }
}
