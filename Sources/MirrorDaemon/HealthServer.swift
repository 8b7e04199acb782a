import Foundation
import Hummingbird
import Logging
import Prometheus

/// The HTTP endpoints: `/healthz` (liveness), `/readyz` (readiness), `/status` (JSON) and
/// `/metrics` (Prometheus text format), on Hummingbird.
enum HealthServer {
    static func application(
        host: String, port: Int, status: StatusBuilder, registry: PrometheusCollectorRegistry, state: DaemonState,
        logger: Logger, onRunning: @escaping @Sendable () -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("healthz") { _, _ -> TextResponse in
            if status.heartbeat.isAlive {
                return TextResponse(text: "ok\n")
            }
            return TextResponse(status: .serviceUnavailable, text: "the work loop has stopped making progress\n")
        }
        router.get("readyz") { _, _ -> TextResponse in
            if let problem = status.readinessProblem() {
                return TextResponse(status: .serviceUnavailable, text: "not ready: \(problem)\n")
            }
            return TextResponse(text: "ready\n")
        }
        router.get("status") { _, _ -> TextResponse in
            let data = try StatusReport.jsonEncoder(pretty: true).encode(status.report())
            return TextResponse(contentType: "application/json", text: String(decoding: data, as: UTF8.self) + "\n")
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
