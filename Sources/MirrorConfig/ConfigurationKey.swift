import Foundation

/// One key the configuration file may hold, with the type its value must have.
struct ConfigurationKey: Sendable {
    enum ValueType: String, Sendable {
        case string, integer, boolean, stringList = "list of strings", integerList = "list of integers"
    }

    var path: String
    var type: ValueType

    init(_ path: String, _ type: ValueType) {
        self.path = path
        self.type = type
    }

    /// Every key `config/mediamirror.yaml` documents. Anything else in a file is a mistake
    /// worth stopping for: a misspelt key would otherwise silently keep its default.
    static let all: [ConfigurationKey] = [
        .init("site.posts", .string),
        .init("site.media", .string),
        .init("site.url_prefix", .string),
        .init("site.base_url", .string),
        .init("site.generator", .string),
        .init("state.database", .string),
        .init("scan.front_matter_keys", .stringList),
        .init("scan.unwrap", .stringList),
        .init("fetch.concurrency", .integer),
        .init("fetch.per_host", .integer),
        .init("fetch.proxy", .string),
        .init("fetch.allow_networks", .stringList),
        .init("fetch.ca_bundle", .string),
        .init("fetch.max_bytes", .integer),
        .init("fetch.connect_timeout", .integer),
        .init("fetch.timeout", .integer),
        .init("fetch.low_speed_limit", .integer),
        .init("fetch.low_speed_time", .integer),
        .init("fetch.max_redirects", .integer),
        .init("fetch.attempts", .integer),
        .init("fetch.user_agent", .string),
        .init("fetch.host_rules", .stringList),
        .init("fetch.placeholders", .stringList),
        .init("fetch.learn_referer", .boolean),
        .init("fetch.suspect_placeholders", .boolean),
        .init("thumbnails.widths", .integerList),
        .init("thumbnails.quality", .integer),
        .init("thumbnails.max_pixels", .integer),
        .init("thumbnails.format", .string),
        .init("thumbnails.formats", .stringList),
        .init("thumbnails.webp_quality", .integer),
        .init("thumbnails.avif_quality", .integer),
        .init("thumbnails.avif_speed", .integer),
        .init("thumbnails.animated", .boolean),
        .init("thumbnails.max_frames", .integer),
        .init("thumbnails.max_animation_pixels", .integer),
        .init("rewrite.fix_dimensions", .boolean),
        .init("rewrite.variants", .stringList),
        .init("rewrite.provenance_attribute", .string),
        .init("rewrite.fill_placeholder_src", .boolean),
        .init("rewrite.srcset", .boolean),
        .init("rewrite.srcset_format", .string),
        .init("rewrite.sizes", .string),
        .init("rewrite.add_dimensions", .boolean),
        .init("health.listen", .string),
        .init("health.token_file", .string),
        .init("health.public", .boolean),
        .init("health.protect_metrics", .boolean),
        .init("daemon.rescan_interval", .integer),
        .init("daemon.debounce_ms", .integer),
        .init("daemon.watch", .boolean),
        .init("daemon.min_free_bytes", .integer),
        .init("daemon.stop_timeout", .integer),
        .init("daemon.revalidate_interval", .integer),
        .init("rescue.enabled", .boolean),
        .init("rescue.archives", .stringList),
        .init("rescue.per_host", .integer),
        .init("storage.backend", .string),
        .init("storage.s3.endpoint", .string),
        .init("storage.s3.bucket", .string),
        .init("storage.s3.prefix", .string),
        .init("storage.s3.region", .string),
        .init("storage.s3.path_style", .boolean),
        .init("storage.s3.storage_class", .string),
        .init("storage.s3.cache_control", .string),
        .init("storage.s3.credentials_file", .string),
        .init("storage.s3.profile", .string),
        .init("storage.s3.concurrency", .integer),
    ]

    /// The environment variable that overrides this key: `fetch.per_host` → `MEDIAMIRROR_FETCH_PER_HOST`.
    var environmentName: String {
        "MEDIAMIRROR_" + path.uppercased().replacingOccurrences(of: ".", with: "_")
    }
}
