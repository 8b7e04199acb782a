import Foundation
import Logging
import MirrorConfig
import MirrorEngine
import MirrorStore
import ServiceLifecycle

/// `mediamirror daemon`: the work loop, the posts watcher, the health and metrics server, the
/// configuration reloader and the systemd notifier, run as one ServiceGroup. SIGTERM and SIGINT
/// shut it down gracefully; SIGHUP reloads the configuration.
public struct Daemon: Sendable {
    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String
    }

    let configuration: MirrorConfiguration
    let configurationPath: String
    let logger: Logger

    public init(configuration: MirrorConfiguration, configurationPath: String, logger: Logger) {
        self.configuration = configuration
        self.configurationPath = configurationPath
        self.logger = logger
    }

    public func run() async throws {
        // Until the reloader traps SIGHUP, its default action would end the process.
        signal(SIGHUP, SIG_IGN)
        let registry = DaemonMetrics.bootstrap()
        let state = DaemonState()
        let heartbeat = Heartbeat()
        let trigger = SyncTrigger()
        let live = LiveConfiguration(configuration)

        let manifest: Manifest
        do {
            try AtomicFile.makeDirectories(configuration.site.media)
            manifest = try Manifest(path: configuration.state.database)
        } catch {
            throw StartFailure(description: "\(error)")
        }
        state.update { $0.manifestOpen = true }

        let (host, port) = try Self.listenAddress(configuration.health.listen)
        let status = StatusBuilder(state: state, configuration: live, manifest: manifest, heartbeat: heartbeat)
        let server = HealthServer.application(
            host: host, port: port, status: status, registry: registry, state: state, logger: logger)
        var services: [any Service] = [
            server,
            SyncWorker(
                configuration: live, manifest: manifest, trigger: trigger, state: state, heartbeat: heartbeat,
                logger: logger),
            SystemdService(
                notifier: SystemdNotifier(), heartbeat: heartbeat, status: status, state: state, logger: logger),
        ]
        if configuration.daemon.watch {
            services.append(
                PostsWatcher(
                    posts: configuration.site.posts, media: configuration.site.media,
                    debounce: .milliseconds(configuration.daemon.debounceMilliseconds), trigger: trigger,
                    state: state, logger: logger))
        }
        let provider = await ConfigurationReloader.provider(for: configurationPath, logger: logger)
        if let provider { services.append(provider) }
        services.append(
            ConfigurationReloader(
                path: configurationPath, configuration: live, state: state, trigger: trigger, logger: logger,
                provider: provider))

        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        logger.notice(
            "mediamirror \(MediamirrorVersion.current) daemon starting",
            metadata: ["posts": "\(configuration.site.posts)", "media": "\(configuration.site.media)"])
        do {
            try await group.run()
        } catch {
            throw StartFailure(description: "\(error)")
        }
        logger.notice("stopped")
    }

    /// `host:port` or `[v6]:port`.
    static func listenAddress(_ listen: String) throws -> (String, Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw StartFailure(description: "health.listen: '\(listen)' is not host:port")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
