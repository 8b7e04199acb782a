/// Everything a sync or the daemon needs to know, with relative paths already resolved against
/// the configuration file's directory.
public struct MirrorConfiguration: Sendable, Equatable {
    public var site: SiteSettings
    public var state: StateSettings
    public var scan: ScanSettings
    public var fetch: FetchSettings
    public var thumbnails: ThumbnailSettings
    public var rewrite: RewriteSettings
    public var health: HealthSettings
    public var daemon: DaemonSettings
    public var rescue: RescueSettings
    public var storage: StorageSettings
    /// The file the configuration was read from, if any.
    public var sourcePath: String?

    public init(
        site: SiteSettings,
        state: StateSettings,
        scan: ScanSettings = ScanSettings(),
        fetch: FetchSettings = FetchSettings(),
        thumbnails: ThumbnailSettings = ThumbnailSettings(),
        rewrite: RewriteSettings = RewriteSettings(),
        health: HealthSettings = HealthSettings(),
        daemon: DaemonSettings = DaemonSettings(),
        rescue: RescueSettings = RescueSettings(),
        storage: StorageSettings = StorageSettings(),
        sourcePath: String? = nil
    ) {
        self.site = site
        self.state = state
        self.scan = scan
        self.fetch = fetch
        self.thumbnails = thumbnails
        self.rewrite = rewrite
        self.health = health
        self.daemon = daemon
        self.rescue = rescue
        self.storage = storage
        self.sourcePath = sourcePath
    }
}
