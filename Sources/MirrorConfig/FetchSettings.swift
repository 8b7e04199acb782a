/// `fetch.*`: how downloads behave.
public struct FetchSettings: Sendable, Equatable {
    /// Transfers in flight at once, over all hosts.
    public var concurrency: Int
    /// Transfers in flight at once to one host.
    public var perHost: Int
    /// Proxy for every transfer (besides `http_proxy`/`https_proxy`/`no_proxy`); empty for none.
    public var proxy: String
    /// CIDRs exempt from the private-address block.
    public var allowNetworks: [String]
    /// Extra CA certificates (PEM file) trusted for https; empty for the system store only.
    public var caBundle: String
    /// Largest body accepted, in bytes.
    public var maxBytes: Int
    /// Seconds allowed to establish a connection.
    public var connectTimeout: Int
    /// Seconds allowed for a whole transfer.
    public var timeout: Int
    /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` seconds is aborted.
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Int
    /// Redirects followed at most.
    public var maxRedirects: Int
    /// Attempts per URL and run, the first included.
    public var attempts: Int
    /// User-Agent sent with every request.
    public var userAgent: String
    /// Per-host headers (Referer policy, User-Agent, others), first match wins.
    public var hostRules: [HostRule] = []
    /// SHA-256s (lower-case hex) of known placeholder images ("this image is not available"):
    /// bytes that match are a failure of class `placeholder`, never stored or rewritten.
    public var placeholders: Set<String> = []
    /// Remember per host which Referer got a refused image served, and send it first next time.
    public var learnReferer = true
    /// Report one picture a host serves for several URLs declared far larger than it as a
    /// suspected placeholder.
    public var suspectPlaceholders = false

    public init(
        concurrency: Int = 16,
        perHost: Int = 4,
        proxy: String = "",
        allowNetworks: [String] = [],
        caBundle: String = "",
        maxBytes: Int = 52_428_800,
        connectTimeout: Int = 10,
        timeout: Int = 120,
        lowSpeedLimit: Int = 1024,
        lowSpeedTime: Int = 30,
        maxRedirects: Int = 5,
        attempts: Int = 3,
        userAgent: String = "mediamirror/\(MediamirrorVersion.current)"
    ) {
        self.concurrency = concurrency
        self.perHost = perHost
        self.proxy = proxy
        self.allowNetworks = allowNetworks
        self.caBundle = caBundle
        self.maxBytes = maxBytes
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.maxRedirects = maxRedirects
        self.attempts = attempts
        self.userAgent = userAgent
    }
}
