extension MirrorConfiguration {
    /// Every setting by its key in the file, as text: what a reload compares and the status page
    /// shows.
    public var values: [String: String] {
        func list(_ items: [some CustomStringConvertible]) -> String {
            "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
        return [
            "site.posts": site.posts,
            "site.media": site.media,
            "site.url_prefix": site.urlPrefix,
            "site.base_url": site.baseURL,
            "site.generator": site.generator.rawValue,
            "state.database": state.database,
            "scan.front_matter_keys": list(scan.frontMatterKeys),
            "scan.unwrap": list(scan.unwrap),
            "fetch.concurrency": "\(fetch.concurrency)",
            "fetch.per_host": "\(fetch.perHost)",
            "fetch.proxy": fetch.proxy,
            "fetch.allow_networks": list(fetch.allowNetworks),
            "fetch.ca_bundle": fetch.caBundle,
            "fetch.max_bytes": "\(fetch.maxBytes)",
            "fetch.connect_timeout": "\(fetch.connectTimeout)",
            "fetch.timeout": "\(fetch.timeout)",
            "fetch.low_speed_limit": "\(fetch.lowSpeedLimit)",
            "fetch.low_speed_time": "\(fetch.lowSpeedTime)",
            "fetch.max_redirects": "\(fetch.maxRedirects)",
            "fetch.attempts": "\(fetch.attempts)",
            "fetch.user_agent": fetch.userAgent,
            "fetch.host_rules": list(fetch.hostRules.map(\.text)),
            "fetch.placeholders": list(fetch.placeholders.sorted()),
            "fetch.learn_referer": "\(fetch.learnReferer)",
            "fetch.suspect_placeholders": "\(fetch.suspectPlaceholders)",
            "thumbnails.widths": list(thumbnails.widths),
            "thumbnails.quality": "\(thumbnails.quality)",
            "thumbnails.max_pixels": "\(thumbnails.maxPixels)",
            "thumbnails.format": thumbnails.format,
            "thumbnails.formats": list(thumbnails.formats),
            "thumbnails.webp_quality": "\(thumbnails.webpQuality)",
            "rewrite.fix_dimensions": "\(rewrite.fixDimensions)",
            "rewrite.variants": list(rewrite.variants.map(\.text)),
            "rewrite.provenance_attribute": rewrite.provenanceAttribute ?? "",
            "rewrite.fill_placeholder_src": "\(rewrite.fillPlaceholderSource)",
            "rewrite.srcset": "\(rewrite.srcset)",
            "rewrite.srcset_format": rewrite.srcsetFormat ?? "",
            "rewrite.sizes": rewrite.sizes,
            "rewrite.add_dimensions": "\(rewrite.addDimensions)",
            "health.listen": health.listen,
            "health.token_file": health.tokenFile ?? "",
            "health.public": "\(health.isPublic)",
            "health.protect_metrics": "\(health.protectMetrics)",
            "daemon.rescan_interval": "\(daemon.rescanInterval)",
            "daemon.debounce_ms": "\(daemon.debounceMilliseconds)",
            "daemon.watch": "\(daemon.watch)",
            "daemon.min_free_bytes": "\(daemon.minFreeBytes)",
            "daemon.stop_timeout": "\(daemon.stopTimeout)",
            "daemon.revalidate_interval": "\(daemon.revalidateInterval)",
            "rescue.enabled": "\(rescue.enabled)",
            "rescue.archives": list(rescue.archives.map(\.text)),
            "rescue.per_host": "\(rescue.perHost)",
        ]
    }

    /// Settings a running daemon cannot change: where things are, and what it listens on.
    public static let restartOnlyKeys: Set<String> = [
        "site.posts", "site.media", "site.url_prefix", "state.database", "health.listen", "health.token_file",
        "health.public", "health.protect_metrics", "daemon.watch",
    ]
}
