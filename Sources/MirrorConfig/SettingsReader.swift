import Foundation

/// Reads one section of the configuration at a time, each with its rules: a value of the wrong
/// type or out of range is an error naming the key.
struct SettingsReader {
    let values: ConfigurationValues
    /// Where relative paths start: the configuration file's directory.
    let directory: String

    func path(_ key: String, default fallback: String) throws -> String {
        let value = try values.string(key) ?? fallback
        guard !value.isEmpty else { throw values.error(key, "must not be empty") }
        return ConfigurationLoader.absolute(value, relativeTo: directory)
    }

    func positive(_ key: String, default fallback: Int) throws -> Int {
        let value = try values.int(key) ?? fallback
        guard value > 0 else { throw values.error(key, "must be greater than 0, got \(value)") }
        return value
    }

    func site() throws -> SiteSettings {
        let name = try values.string("site.generator") ?? SiteGenerator.hexo.rawValue
        guard let generator = SiteGenerator(rawValue: name) else {
            let known = SiteGenerator.allCases.map(\.rawValue).joined(separator: ", ")
            throw values.error("site.generator", "must be one of \(known), got '\(name)'")
        }
        let site = SiteSettings(
            posts: try path("site.posts", default: generator.defaultPosts),
            media: try path("site.media", default: generator.defaultMedia),
            urlPrefix: try values.string("site.url_prefix") ?? generator.defaultURLPrefix,
            baseURL: try values.string("site.base_url") ?? "",
            generator: generator
        )
        guard site.urlPrefix.hasPrefix("/") || site.urlPrefix.contains("://") else {
            throw values.error("site.url_prefix", "must start with / or be an absolute URL, got '\(site.urlPrefix)'")
        }
        return site
    }

    func scan() throws -> ScanSettings {
        let scan = ScanSettings(
            frontMatterKeys: try values.stringList("scan.front_matter_keys") ?? ScanSettings.defaultFrontMatterKeys,
            unwrap: try values.stringList("scan.unwrap") ?? ScanSettings.defaultUnwrap
        )
        for prefix in scan.unwrap where !(prefix.hasPrefix("http://") || prefix.hasPrefix("https://")) {
            throw values.error("scan.unwrap", "'\(prefix)' is not an http(s) URL prefix")
        }
        return scan
    }

    func fetch() throws -> FetchSettings {
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
        if !fetch.caBundle.isEmpty {
            fetch.caBundle = ConfigurationLoader.absolute(fetch.caBundle, relativeTo: directory)
        }
        fetch.learnReferer = try values.bool("fetch.learn_referer") ?? true
        fetch.suspectPlaceholders = try values.bool("fetch.suspect_placeholders") ?? false
        for text in try values.stringList("fetch.placeholders") ?? [] {
            let digest = text.lowercased()
            guard digest.utf8.count == 64,
                digest.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
            else { throw values.error("fetch.placeholders", "'\(text)' is not a SHA-256 (64 hex digits)") }
            fetch.placeholders.insert(digest)
        }
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
        return fetch
    }

    func thumbnails() throws -> ThumbnailSettings {
        var thumbnails = ThumbnailSettings(
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
        if let formats = try values.stringList("thumbnails.formats") {
            guard !formats.isEmpty else { throw values.error("thumbnails.formats", "names no format") }
            var chosen: [String] = []
            for format in formats.map({ $0.lowercased() }) where !chosen.contains(format) {
                guard ThumbnailSettings.knownFormats.contains(format) else {
                    throw values.error(
                        "thumbnails.formats",
                        "'\(format)' is not one of \(ThumbnailSettings.knownFormats.joined(separator: ", "))")
                }
                chosen.append(format)
            }
            thumbnails.formats = chosen
        }
        thumbnails.webpQuality = try values.int("thumbnails.webp_quality") ?? 80
        guard (1...100).contains(thumbnails.webpQuality) else {
            throw values.error(
                "thumbnails.webp_quality", "must be between 1 and 100, got \(thumbnails.webpQuality)")
        }
        thumbnails.avifQuality = try values.int("thumbnails.avif_quality") ?? thumbnails.avifQuality
        guard (1...100).contains(thumbnails.avifQuality) else {
            throw values.error(
                "thumbnails.avif_quality", "must be between 1 and 100, got \(thumbnails.avifQuality)")
        }
        thumbnails.avifSpeed = try values.int("thumbnails.avif_speed") ?? thumbnails.avifSpeed
        guard (0...10).contains(thumbnails.avifSpeed) else {
            throw values.error("thumbnails.avif_speed", "must be between 0 and 10, got \(thumbnails.avifSpeed)")
        }
        thumbnails.animated = try values.bool("thumbnails.animated") ?? false
        thumbnails.maxFrames = try positive("thumbnails.max_frames", default: thumbnails.maxFrames)
        thumbnails.maxAnimationPixels = try positive(
            "thumbnails.max_animation_pixels", default: thumbnails.maxAnimationPixels)
        return thumbnails
    }

    /// `widths`: the thumbnail widths, which `rewrite.variants` may name.
    func rewrite(widths: [Int]) throws -> RewriteSettings {
        var rewrite = RewriteSettings(fixDimensions: try values.bool("rewrite.fix_dimensions") ?? false)
        rewrite.fillPlaceholderSource = try values.bool("rewrite.fill_placeholder_src") ?? false
        if let name = try values.string("rewrite.provenance_attribute"), !name.isEmpty {
            if let problem = RewriteSettings.provenanceProblem(name) {
                throw values.error("rewrite.provenance_attribute", problem)
            }
            rewrite.provenanceAttribute = name
        }
        rewrite.srcset = try values.bool("rewrite.srcset") ?? false
        rewrite.addDimensions = try values.bool("rewrite.add_dimensions") ?? false
        rewrite.sizes = try values.string("rewrite.sizes") ?? RewriteSettings.defaultSizes
        guard !rewrite.sizes.contains("\"") && !rewrite.sizes.contains("\n") && !rewrite.sizes.isEmpty else {
            throw values.error("rewrite.sizes", "must be a sizes list without quotes or line breaks")
        }
        if let format = try values.string("rewrite.srcset_format"), !format.isEmpty {
            guard ThumbnailSettings.knownFormats.contains(format) else {
                throw values.error(
                    "rewrite.srcset_format",
                    "'\(format)' is not one of \(ThumbnailSettings.knownFormats.joined(separator: ", "))")
            }
            rewrite.srcsetFormat = format
        }
        for text in try values.stringList("rewrite.variants") ?? [] {
            switch RewriteVariant.parse(text, widths: widths) {
            case .success(let variant): rewrite.variants.append(variant)
            case .failure(let invalid): throw values.error("rewrite.variants", invalid.reason)
            }
        }
        return rewrite
    }

    func health() throws -> HealthSettings {
        let health = HealthSettings(
            listen: try values.string("health.listen") ?? "127.0.0.1:9464",
            tokenFile: try values.string("health.token_file").flatMap {
                $0.isEmpty ? nil : ConfigurationLoader.absolute($0, relativeTo: directory)
            },
            isPublic: try values.bool("health.public") ?? false,
            protectMetrics: try values.bool("health.protect_metrics") ?? false)
        guard health.listen.split(separator: ":").last.flatMap({ Int($0) }) != nil else {
            throw values.error("health.listen", "must be host:port, got '\(health.listen)'")
        }
        return health
    }

    func rescue() throws -> RescueSettings {
        var rescue = RescueSettings()
        rescue.enabled = try values.bool("rescue.enabled") ?? false
        rescue.perHost = try positive("rescue.per_host", default: 1)
        if let entries = try values.stringList("rescue.archives") {
            rescue.archives = try entries.map { text in
                switch ArchiveEndpoint.parse(text) {
                case .success(let archive): return archive
                case .failure(let invalid): throw values.error("rescue.archives", invalid.reason)
                }
            }
        }
        return rescue
    }

    func daemon() throws -> DaemonSettings {
        let defaults = DaemonSettings()
        let daemon = DaemonSettings(
            rescanInterval: try positive("daemon.rescan_interval", default: defaults.rescanInterval),
            debounceMilliseconds: try values.int("daemon.debounce_ms") ?? defaults.debounceMilliseconds,
            watch: try values.bool("daemon.watch") ?? defaults.watch,
            minFreeBytes: try values.int("daemon.min_free_bytes") ?? defaults.minFreeBytes,
            stopTimeout: try values.int("daemon.stop_timeout") ?? defaults.stopTimeout,
            revalidateInterval: try values.int("daemon.revalidate_interval") ?? defaults.revalidateInterval
        )
        for (key, value) in [
            ("daemon.debounce_ms", daemon.debounceMilliseconds), ("daemon.min_free_bytes", daemon.minFreeBytes),
            ("daemon.stop_timeout", daemon.stopTimeout), ("daemon.revalidate_interval", daemon.revalidateInterval),
        ] where value < 0 {
            throw values.error(key, "must be 0 or more, got \(value)")
        }
        return daemon
    }

    func storage() throws -> StorageSettings {
        let name = try values.string("storage.backend") ?? StorageSettings.Backend.filesystem.rawValue
        guard let backend = StorageSettings.Backend(rawValue: name) else {
            throw values.error("storage.backend", "must be filesystem or s3, got '\(name)'")
        }
        var s3 = S3Settings()
        s3.endpoint = try values.string("storage.s3.endpoint") ?? ""
        s3.bucket = try values.string("storage.s3.bucket") ?? ""
        s3.prefix = (try values.string("storage.s3.prefix") ?? "").trimmingCharacters(
            in: CharacterSet(charactersIn: "/"))
        s3.region = try values.string("storage.s3.region") ?? s3.region
        let aws = s3.endpoint.lowercased().contains(".amazonaws.com")
        s3.pathStyle = try values.bool("storage.s3.path_style") ?? !aws
        s3.storageClass = try values.string("storage.s3.storage_class") ?? ""
        s3.cacheControl = try values.string("storage.s3.cache_control") ?? S3Settings.defaultCacheControl
        if let file = try values.string("storage.s3.credentials_file"), !file.isEmpty {
            s3.credentialsFile = ConfigurationLoader.absolute(file, relativeTo: directory)
        }
        s3.profile = try values.string("storage.s3.profile") ?? s3.profile
        s3.concurrency = try positive("storage.s3.concurrency", default: s3.concurrency)
        if backend == .s3 {
            guard s3.endpoint.hasPrefix("http://") || s3.endpoint.hasPrefix("https://") else {
                throw values.error(
                    "storage.s3.endpoint", "must be the http(s) URL of the S3 endpoint when storage.backend is s3")
            }
            guard !s3.bucket.isEmpty, !s3.bucket.contains("/") else {
                throw values.error("storage.s3.bucket", "must name the bucket when storage.backend is s3")
            }
            guard !s3.region.isEmpty else { throw values.error("storage.s3.region", "must not be empty") }
        }
        return StorageSettings(backend: backend, s3: s3)
    }
}
