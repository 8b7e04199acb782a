import Metrics

/// The metrics a pass records through swift-metrics. Without a bootstrapped backend (the
/// one-shot commands) they cost nothing; the daemon exports them in Prometheus format.
/// Each name always carries the same label keys, which Prometheus requires.
enum SyncMetrics {
    static func fetched(host: String, outcome: String, bytes: Int, duration: Duration) {
        Counter(label: "mediamirror_fetches_total", dimensions: [("host", host), ("outcome", outcome)]).increment()
        if bytes > 0 { Counter(label: "mediamirror_fetched_bytes_total").increment(by: bytes) }
        Metrics.Timer(label: "mediamirror_fetch_duration_seconds").record(duration: duration)
    }

    static func thumbnailsMade(_ count: Int) {
        guard count > 0 else { return }
        Counter(label: "mediamirror_thumbnails_made_total").increment(by: count)
    }

    static func postRewritten() {
        Counter(label: "mediamirror_posts_rewritten_total").increment()
    }

    static func postsScanned(_ count: Int) {
        guard count > 0 else { return }
        Counter(label: "mediamirror_posts_scanned_total").increment(by: count)
    }

    /// URLs of the current pass not settled yet.
    static func queueDepth(_ depth: Int) {
        Gauge(label: "mediamirror_queue_depth").record(depth)
    }
}
