import Foundation
import Logging
import MirrorConfig
import MirrorEngine
import MirrorStore
import ServiceLifecycle
import UnixSignals

/// `mediamirror daemon`: the work loop, the posts watcher, the health and metrics server, the
/// configuration reloader and the systemd notifier, run as one ServiceGroup. SIGTERM and SIGINT
/// shut it down gracefully (and `ShutdownGuard` ends it regardless once `daemon.stop_timeout`
/// + 4 s have passed); SIGHUP reloads the configuration. A cause that keeps it from running
/// (the port in use, another daemon on the site, an unwritable media directory, a service that
/// fails) is logged in one line, told to systemd, and thrown as `StartFailure` (exit status 3).
public struct Daemon: Sendable {
    let configuration: MirrorConfiguration
    let configurationPath: String
    let access: HealthAccess
    let logger: Logger

    public init(
        configuration: MirrorConfiguration, configurationPath: String, access: HealthAccess, logger: Logger
    ) {
        self.configuration = configuration
        self.configurationPath = configurationPath
        self.access = access
        self.logger = logger
    }

    /// The parts every service shares.
    struct Parts: Sendable {
        let state = DaemonState()
        let heartbeat = Heartbeat()
        let trigger = SyncTrigger()
        let changes = ChangedPosts()
        let systemdWaker = ThreadWaker()
        let notifier = SystemdNotifier()
        let live: LiveConfiguration
    }

    public func run() async throws(StartFailure) {
        // Until the reloader traps SIGHUP, its default action would end the process.
        signal(SIGHUP, SIG_IGN)
        let parts = Parts(live: LiveConfiguration(configuration))
        let shutdown = ShutdownGuard(notifier: parts.notifier, state: parts.state)
        shutdown.watchSignals(limit: .seconds(configuration.daemon.stopTimeout + 4))
        let claim: SiteClaim
        let address: (host: String, port: Int)
        do {
            address = try ListenCheck.address(configuration.health.listen)
            claim = try SiteClaim(configuration: configuration, logger: logger)
            try ListenCheck.check(host: address.host, port: address.port)
        } catch {
            report(error, parts)
            throw error
        }
        parts.state.update { $0.manifestOpen = true }
        let services = await self.services(claim: claim, address: address, parts: parts) { failure in
            report(failure, parts)
            shutdown.arm(after: .seconds(3), reason: "a service failed")
        }
        // A stop asked for before the group traps the signals reached only the guard.
        if shutdown.stopRequested {
            logger.notice("stopped before starting")
            return
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(configuration.daemon.stopTimeout)
        logger.notice(
            "mediamirror \(MediamirrorVersion.current) daemon starting",
            metadata: ["posts": "\(configuration.site.posts)", "media": "\(configuration.site.media)"])
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch let failure as StartFailure {
            throw failure
        } catch {
            // Already reported by the service that failed.
            throw StartFailure("\(error)")
        }
        withExtendedLifetime(claim) {}
        logger.notice("stopped")
    }

    /// The group's services, in start order; graceful shutdown stops them in reverse: the server
    /// (its answer is "shutting down" by then) before the work loop drains, and the systemd
    /// notifier last, so its pings go on while the loop drains.
    private func services(
        claim: SiteClaim, address: (host: String, port: Int), parts: Parts,
        onFailure: @escaping @Sendable (StartFailure) -> Void
    ) async -> [any Service] {
        let status = StatusBuilder(
            state: parts.state, configuration: parts.live, manifest: claim.manifest, heartbeat: parts.heartbeat,
            store: StoreReadiness(configuration: parts.live.current))
        let server = HealthServer.application(
            host: address.host, port: address.port, access: access, status: status,
            registry: DaemonMetrics.bootstrap(),
            state: parts.state, logger: logger
        ) {
            parts.trigger.request("startup")
            parts.systemdWaker.wake()
        }
        var services: [(String, any Service)] = [
            (
                "systemd notifier",
                SystemdService(
                    notifier: parts.notifier, heartbeat: parts.heartbeat, status: status, state: parts.state,
                    waker: parts.systemdWaker, logger: logger)
            ),
            (
                "sync worker",
                SyncWorker(
                    configuration: parts.live, manifest: claim.manifest, trigger: parts.trigger,
                    changes: parts.changes, state: parts.state, heartbeat: parts.heartbeat, logger: logger)
            ),
            ("health server on \(address.host):\(address.port)", server),
        ]
        if configuration.daemon.watch {
            services.append(
                (
                    "posts watcher",
                    PostsWatcher(
                        posts: configuration.site.posts, media: configuration.site.media,
                        debounce: .milliseconds(configuration.daemon.debounceMilliseconds), trigger: parts.trigger,
                        changes: parts.changes, state: parts.state, logger: logger)
                ))
        }
        let provider = await ConfigurationReloader.provider(for: configurationPath, logger: logger)
        if let provider { services.append(("configuration file provider", provider)) }
        services.append(
            (
                "configuration reloader",
                ConfigurationReloader(
                    path: configurationPath, configuration: parts.live, state: parts.state, trigger: parts.trigger,
                    logger: logger, provider: provider)
            ))
        return services.map { ReportingService(service: $1, name: $0, onFailure: onFailure) }
    }

    /// One log line naming the cause, and the same to systemd.
    private func report(_ failure: StartFailure, _ parts: Parts) {
        logger.critical("cannot run: \(failure.description)")
        let status = failure.description.replacingOccurrences(of: "\n", with: " ")
        parts.notifier.notify("STATUS=failed: \(status)" + (failure.errno.map { "\nERRNO=\($0)" } ?? ""))
    }
}
