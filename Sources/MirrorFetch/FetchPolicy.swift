/// Limits and behaviour of the HTTP client.
public struct FetchPolicy: Sendable, Equatable {
    public var concurrency: Int
    public var perHost: Int
    public var connectTimeout: Int
    public var timeout: Int
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Int
    public var maxRedirects: Int
    public var maxBytes: Int
    public var userAgent: String
    /// Proxy for every transfer; empty means the standard environment variables decide.
    public var proxy: String
    public var caBundle: String
    public var addressPolicy: AddressPolicy

    public init(
        concurrency: Int = 16, perHost: Int = 4, connectTimeout: Int = 10, timeout: Int = 120,
        lowSpeedLimit: Int = 1024,
        lowSpeedTime: Int = 30, maxRedirects: Int = 5, maxBytes: Int = 52_428_800, userAgent: String = "mediamirror",
        proxy: String = "", caBundle: String = "", addressPolicy: AddressPolicy = AddressPolicy()
    ) {
        self.concurrency = concurrency
        self.perHost = perHost
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.maxRedirects = maxRedirects
        self.maxBytes = maxBytes
        self.userAgent = userAgent
        self.proxy = proxy
        self.caBundle = caBundle
        self.addressPolicy = addressPolicy
    }
}
