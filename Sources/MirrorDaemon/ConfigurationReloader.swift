import Configuration
import Foundation
import Logging
import MirrorConfig
import ServiceLifecycle
import SystemPackage
import UnixSignals

/// Applies configuration changes while the daemon runs. swift-configuration's reloading file
/// provider notices them (on SIGHUP, and by polling the file's modification time); each new
/// snapshot is then validated by `ConfigurationLoader`, exactly as at startup. A file with
/// errors is reported and the running configuration kept.
struct ConfigurationReloader: Service {
    let path: String
    let configuration: LiveConfiguration
    let state: DaemonState
    let trigger: SyncTrigger
    let logger: Logger
    /// nil when the provider could not start on this file (an empty one, say): SIGHUP is then
    /// watched directly.
    let provider: ReloadingFileProvider<YAMLSnapshot>?

    func run() async throws {
        if let provider {
            try await provider.watchSnapshot { updates in
                var first = true
                for try await _ in updates.cancelOnGracefulShutdown() {
                    if first {
                        first = false
                        continue
                    }
                    await reload()
                }
            }
        } else {
            let signals = await UnixSignalsSequence(trapping: .sighup)
            for await _ in signals.cancelOnGracefulShutdown() {
                await reload()
            }
        }
    }

    func reload() async {
        let loaded: MirrorConfiguration
        do {
            loaded = try await ConfigurationLoader().load(path: path)
        } catch {
            logger.error("configuration not reloaded: \(error)")
            state.update {
                $0.reloadError = "\(error)"
                $0.lastReloadAt = Date()
            }
            return
        }
        let change = configuration.apply(loaded)
        state.update {
            $0.reloads += 1
            $0.lastReloadAt = Date()
            $0.reloadError = nil
            $0.restartRequired = change.needRestart
        }
        if change.applied.isEmpty && change.needRestart.isEmpty {
            logger.notice("configuration reloaded: nothing changed")
        } else {
            if !change.applied.isEmpty {
                logger.notice("configuration reloaded: \(change.applied.joined(separator: ", ")) now in effect")
            }
            if !change.needRestart.isEmpty {
                logger.warning(
                    "configuration: \(change.needRestart.joined(separator: ", ")) changed but need a restart; the running values stay"
                )
            }
        }
        trigger.request("reload")
    }

    /// The reloading provider for `path`, or nil (with the reason logged) when it cannot read it.
    static func provider(for path: String, logger: Logger) async -> ReloadingFileProvider<YAMLSnapshot>? {
        do {
            return try await ReloadingFileProvider<YAMLSnapshot>(
                filePath: FilePath(path), pollInterval: .seconds(30), logger: logger)
        } catch {
            logger.info("configuration reloads on SIGHUP only (\(error))")
            return nil
        }
    }
}
