import Configuration
import Foundation
import SystemPackage
import Yams

/// Reads `mediamirror.yaml` through swift-configuration, with `MEDIAMIRROR_…` environment
/// variables layered on top, validates every value and resolves relative paths against the
/// file's directory.
public struct ConfigurationLoader: Sendable {
    public static let environmentPrefix = "MEDIAMIRROR_"

    private let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func load(path: String) async throws -> MirrorConfiguration {
        let absolutePath = Self.absolute(path, relativeTo: FileManager.default.currentDirectoryPath)
        let text: String
        do {
            text = try String(contentsOfFile: absolutePath, encoding: .utf8)
        } catch {
            throw ConfigurationError(key: nil, reason: "cannot read the file (\(Self.reason(of: error)))", file: path)
        }
        let presentInFile = try Self.keysPresent(inYAML: text, file: path)
        let overrides = environmentOverrides()

        let reader: ConfigReader
        do {
            let environmentProvider = EnvironmentVariablesProvider(environmentVariables: overrides)
            // An empty file (or one of comments only) means "all defaults"; the YAML provider
            // wants a top-level mapping, so it only reads files that have keys.
            let fileProvider: any ConfigProvider =
                presentInFile.isEmpty
                ? InMemoryProvider(values: [:])
                : try await FileProvider<YAMLSnapshot>(filePath: FilePath(absolutePath))
            reader = ConfigReader(providers: [environmentProvider, fileProvider])
        } catch {
            throw ConfigurationError(key: nil, reason: "not valid YAML (\(error))", file: path)
        }
        let values = ConfigurationValues(
            reader: reader,
            present: presentInFile.union(overridden(overrides)),
            file: path
        )
        let directory = (absolutePath as NSString).deletingLastPathComponent
        return try Self.build(from: values, directory: directory, sourcePath: absolutePath)
    }

    /// Builds a configuration from the values; split out so every rule reads in one place.
    static func build(
        from values: ConfigurationValues, directory: String, sourcePath: String?
    ) throws
        -> MirrorConfiguration
    {
        func path(_ key: String, default fallback: String) throws -> String {
            let value = try values.string(key) ?? fallback
            guard !value.isEmpty else { throw values.error(key, "must not be empty") }
            return absolute(value, relativeTo: directory)
        }
        func positive(_ key: String, default fallback: Int) throws -> Int {
            let value = try values.int(key) ?? fallback
            guard value > 0 else { throw values.error(key, "must be greater than 0, got \(value)") }
            return value
        }

        let site = SiteSettings(
            posts: try path("site.posts", default: "source/_posts"),
            media: try path("site.media", default: "source/images/mirror"),
            urlPrefix: try values.string("site.url_prefix") ?? "/images/mirror",
            baseURL: try values.string("site.base_url") ?? ""
        )
        guard site.urlPrefix.hasPrefix("/") || site.urlPrefix.contains("://") else {
            throw values.error("site.url_prefix", "must start with / or be an absolute URL, got '\(site.urlPrefix)'")
        }
        let state = StateSettings(database: try path("state.database", default: ".mediamirror/manifest.sqlite"))
        let scan = ScanSettings(
            frontMatterKeys: try values.stringList("scan.front_matter_keys") ?? ScanSettings.defaultFrontMatterKeys,
            unwrap: try values.stringList("scan.unwrap") ?? ScanSettings.defaultUnwrap
        )
        for prefix in scan.unwrap where !(prefix.hasPrefix("http://") || prefix.hasPrefix("https://")) {
            throw values.error("scan.unwrap", "'\(prefix)' is not an http(s) URL prefix")
        }
        let defaults = FetchSettings()
        var fetch = FetchSettings(
            concurrency: try positive("fetch.concurrency", default: defaults.concurrency),
            perHost: try positive("fetch.per_host", default: defaults.perHost),
            proxy: try values.string("fetch.proxy") ?? "",
            allowNetworks: try values.stringList("fetch.allow_networks") ?? [],
            caBundle: try values.string("fetch.ca_bundle") ?? "",
            maxBytes: try positive("fetch.max_bytes", default: defaults.maxBytes),
            connectTimeout: try positive("fetch.connect_timeout", default: defaults.connectTimeout),
            timeout: try positive("fetch.timeout", default: defaults.timeout),
            lowSpeedLimit: try positive("fetch.low_speed_limit", default: defaults.lowSpeedLimit),
            lowSpeedTime: try positive("fetch.low_speed_time", default: defaults.lowSpeedTime),
            maxRedirects: try values.int("fetch.max_redirects") ?? defaults.maxRedirects,
            attempts: try positive("fetch.attempts", default: defaults.attempts),
            userAgent: try values.string("fetch.user_agent") ?? defaults.userAgent
        )
        if !fetch.caBundle.isEmpty { fetch.caBundle = absolute(fetch.caBundle, relativeTo: directory) }
        for text in try values.stringList("fetch.host_rules") ?? [] {
            do {
                fetch.hostRules.append(try HostRule.parse(text))
            } catch {
                throw values.error("fetch.host_rules", "'\(error.rule)': \(error.reason)")
            }
        }
        guard fetch.maxRedirects >= 0 else {
            throw values.error("fetch.max_redirects", "must be 0 or more, got \(fetch.maxRedirects)")
        }
        let thumbnails = ThumbnailSettings(
            widths: try values.intList("thumbnails.widths") ?? [320, 640],
            quality: try values.int("thumbnails.quality") ?? 82,
            maxPixels: try positive("thumbnails.max_pixels", default: 100_000_000),
            format: try values.string("thumbnails.format") ?? "auto"
        )
        guard ["auto", "same"].contains(thumbnails.format) else {
            throw values.error("thumbnails.format", "must be auto or same, got '\(thumbnails.format)'")
        }
        for width in thumbnails.widths where width <= 0 || width > 16384 {
            throw values.error("thumbnails.widths", "\(width) is not a width between 1 and 16384")
        }
        guard (1...100).contains(thumbnails.quality) else {
            throw values.error("thumbnails.quality", "must be between 1 and 100, got \(thumbnails.quality)")
        }
        var rewrite = RewriteSettings(fixDimensions: try values.bool("rewrite.fix_dimensions") ?? false)
        if let name = try values.string("rewrite.provenance_attribute"), !name.isEmpty {
            if let problem = RewriteSettings.provenanceProblem(name) {
                throw values.error("rewrite.provenance_attribute", problem)
            }
            rewrite.provenanceAttribute = name
        }
        for text in try values.stringList("rewrite.variants") ?? [] {
            switch RewriteVariant.parse(text, widths: thumbnails.widths) {
            case .success(let variant): rewrite.variants.append(variant)
            case .failure(let invalid): throw values.error("rewrite.variants", invalid.reason)
            }
        }
        let health = HealthSettings(listen: try values.string("health.listen") ?? "127.0.0.1:9464")
        guard health.listen.split(separator: ":").last.flatMap({ Int($0) }) != nil else {
            throw values.error("health.listen", "must be host:port, got '\(health.listen)'")
        }
        let daemonDefaults = DaemonSettings()
        let daemon = DaemonSettings(
            rescanInterval: try positive("daemon.rescan_interval", default: daemonDefaults.rescanInterval),
            debounceMilliseconds: try values.int("daemon.debounce_ms") ?? daemonDefaults.debounceMilliseconds,
            watch: try values.bool("daemon.watch") ?? daemonDefaults.watch,
            minFreeBytes: try values.int("daemon.min_free_bytes") ?? daemonDefaults.minFreeBytes,
            stopTimeout: try values.int("daemon.stop_timeout") ?? daemonDefaults.stopTimeout,
            revalidateInterval: try values.int("daemon.revalidate_interval") ?? daemonDefaults.revalidateInterval
        )
        for (key, value) in [
            ("daemon.debounce_ms", daemon.debounceMilliseconds), ("daemon.min_free_bytes", daemon.minFreeBytes),
            ("daemon.stop_timeout", daemon.stopTimeout), ("daemon.revalidate_interval", daemon.revalidateInterval),
        ] where value < 0 {
            throw values.error(key, "must be 0 or more, got \(value)")
        }
        return MirrorConfiguration(
            site: site,
            state: state,
            scan: scan,
            fetch: fetch,
            thumbnails: thumbnails,
            rewrite: rewrite,
            health: health,
            daemon: daemon,
            sourcePath: sourcePath
        )
    }

    /// `MEDIAMIRROR_FETCH_CONCURRENCY=4` becomes `FETCH_CONCURRENCY=4`, which the environment
    /// provider maps to `fetch.concurrency`. Only prefixed variables are seen, so generic names
    /// such as `HTTP_HOST` cannot leak in.
    private func environmentOverrides() -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix(Self.environmentPrefix) {
            result[String(name.dropFirst(Self.environmentPrefix.count))] = value
        }
        return result
    }

    private func overridden(_ overrides: [String: String]) -> Set<String> {
        Set(
            ConfigurationKey.all.compactMap { key in
                overrides[String(key.environmentName.dropFirst(Self.environmentPrefix.count))] != nil ? key.path : nil
            }
        )
    }

    /// Walks the YAML tree: every leaf must be a known key, every section a mapping.
    static func keysPresent(inYAML text: String, file: String) throws -> Set<String> {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(key: nil, reason: "not valid YAML (\(error))", file: file)
        }
        guard let root else { return [] }
        guard case .mapping(let sections) = root else {
            throw ConfigurationError(key: nil, reason: "the top level must be a mapping of sections", file: file)
        }
        let known = Dictionary(uniqueKeysWithValues: ConfigurationKey.all.map { ($0.path, $0) })
        let knownSections = Set(ConfigurationKey.all.map { String($0.path.split(separator: ".")[0]) })
        var present: Set<String> = []
        for (sectionNode, body) in sections {
            let section = sectionNode.string ?? "\(sectionNode)"
            guard knownSections.contains(section) else {
                throw ConfigurationError(key: section, reason: "unknown section", file: file)
            }
            if case .scalar(let scalar) = body, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null"
            {
                continue
            }
            guard case .mapping(let entries) = body else {
                throw ConfigurationError(key: section, reason: "must be a mapping of keys", file: file)
            }
            for (keyNode, value) in entries {
                let path = "\(section).\(keyNode.string ?? "\(keyNode)")"
                guard let key = known[path] else {
                    throw ConfigurationError(key: path, reason: "unknown key", file: file)
                }
                switch (key.type, value) {
                case (.stringList, .sequence), (.integerList, .sequence), (.string, .scalar), (.integer, .scalar),
                    (.boolean, .scalar):
                    break
                default:
                    throw ConfigurationError(key: path, reason: "must be a \(key.type.rawValue)", file: file)
                }
                present.insert(path)
            }
        }
        return present
    }

    static func absolute(_ path: String, relativeTo directory: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let joined = expanded.hasPrefix("/") ? expanded : (directory as NSString).appendingPathComponent(expanded)
        return (joined as NSString).standardizingPath
    }

    private static func reason(of error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
