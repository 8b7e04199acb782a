import Foundation
import Hummingbird
import Logging
import MirrorConfig
import MirrorEngine
import Prometheus

/// The HTTP endpoints: `/healthz` (liveness), `/readyz` (readiness), `/status` (JSON),
/// `/metrics` (Prometheus text format), `/` (the dashboard page) and `/media/` (the stored files
/// it shows), on Hummingbird.
enum HealthServer {
    static func application(
        host: String, port: Int, access: HealthAccess, status: StatusBuilder, registry: PrometheusCollectorRegistry,
        state: DaemonState, logger: Logger, onRunning: @escaping @Sendable () -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: AccessMiddleware(access: access))
        router.get("healthz") { _, _ -> TextResponse in
            if status.heartbeat.isAlive {
                return TextResponse(text: "ok\n")
            }
            return TextResponse(status: .serviceUnavailable, text: "the work loop has stopped making progress\n")
        }
        router.get("readyz") { _, _ -> TextResponse in
            if let problem = await status.readinessProblem() {
                return TextResponse(status: .serviceUnavailable, text: "not ready: \(problem)\n")
            }
            return TextResponse(text: "ready\n")
        }
        router.get("status") { _, _ -> TextResponse in
            let data = try StatusReport.jsonEncoder(pretty: true).encode(status.report())
            return TextResponse(contentType: "application/json", text: String(decoding: data, as: UTF8.self) + "\n")
        }
        let media = MediaFiles(manifest: status.manifest, configuration: status.configuration)
        router.get("/") { _, _ -> PageResponse in
            let configuration = status.configuration.current
            let report = try ReportBuilder(configuration: configuration).build(from: status.manifest)
            let html = DashboardPage.render(
                status: status.report(), recentPasses: status.state.snapshot.recentPasses, report: report,
                mediaRoot: configuration.site.media)
            return PageResponse(
                contentType: "text/html; charset=utf-8", body: Array(html.utf8),
                contentSecurityPolicy: ReportPage.contentSecurityPolicy)
        }
        router.get("media/**") { request, _ -> PageResponse in
            guard let file = media.file(forRequestPath: request.uri.path),
                let bytes = FileManager.default.contents(atPath: file)
            else {
                return PageResponse(
                    status: .notFound, contentType: "text/plain; charset=utf-8", body: Array("not found\n".utf8),
                    contentSecurityPolicy: MediaFiles.contentSecurityPolicy)
            }
            return PageResponse(
                contentType: MediaFiles.contentType(of: file), body: [UInt8](bytes),
                contentSecurityPolicy: MediaFiles.contentSecurityPolicy, cacheControl: "private, max-age=3600")
        }
        router.get("metrics") { _, _ -> TextResponse in
            DaemonMetrics.refresh(status: status)
            return TextResponse(contentType: "text/plain; version=0.0.4; charset=utf-8", text: registry.emitToString())
        }
        // Hummingbird logs every request at info; that belongs to debugging, not the journal.
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .warning)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "mediamirror"),
            onServerRunning: { channel in
                let address =
                    channel.localAddress.map { "\($0.ipAddress ?? host):\($0.port ?? port)" } ?? "\(host):\(port)"
                state.update { $0.listening = address }
                onRunning()
                logger.notice("health endpoint listening on http://\(address)")
            },
            logger: serverLogger
        )
    }
}
