import ArgumentParser
import MirrorConfig

/// The `mediamirror` command.
struct Mediamirror: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mediamirror",
        abstract: "Mirror the images a static blog hotlinks, make thumbnails, and point posts at the copies.",
        version: MediamirrorVersion.current,
        subcommands: [
            SyncCommand.self, ReportCommand.self, RestoreCommand.self, VerifyCommand.self, GCCommand.self,
            DaemonCommand.self, HealthCommand.self, ProbeCommand.self, ThumbnailCommand.self, InitCommand.self,
        ]
    )
}
