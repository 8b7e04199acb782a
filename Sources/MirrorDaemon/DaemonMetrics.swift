import Foundation
import Metrics
import Prometheus

/// The Prometheus side of swift-metrics: the registry every metric of the process lands in, and
/// the gauges read at scrape time.
enum DaemonMetrics {
    /// Bootstraps swift-metrics with a Prometheus registry (once per process).
    static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let fetchBuckets: [Duration] = [
            .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120),
        ]
        factory.durationHistogramBuckets["mediamirror_fetch_duration_seconds"] = fetchBuckets
        factory.durationHistogramBuckets["mediamirror_pass_duration_seconds"] = [
            .milliseconds(100), .seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300), .seconds(900),
            .seconds(3600),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// Gauges that describe the present rather than count events, read at scrape time.
    static func refresh(status: StatusBuilder) {
        let report = status.report()
        Gauge(label: "mediamirror_up").record(1)
        Gauge(label: "mediamirror_ready").record(report.ready ? 1 : 0)
        Gauge(label: "mediamirror_uptime_seconds").record(report.uptimeSeconds)
        Gauge(label: "mediamirror_syncing").record(report.syncing ? 1 : 0)
        Gauge(label: "mediamirror_backlog_posts").record(report.backlog.postsPending)
        Gauge(label: "mediamirror_urls", dimensions: [("state", "mirrored")]).record(report.counts.urlsMirrored)
        Gauge(label: "mediamirror_urls", dimensions: [("state", "failed")]).record(report.counts.urlsFailed)
        Gauge(label: "mediamirror_assets").record(report.counts.assets)
        Gauge(label: "mediamirror_failing_hosts").record(report.failingHosts.count)
        if let free = report.disk.freeBytes {
            Gauge(label: "mediamirror_media_free_bytes").record(free)
        }
    }
}
