/// `health.*`: where the daemon's HTTP endpoints listen, and who may read what they reveal.
public struct HealthSettings: Sendable, Equatable {
    /// `host:port`.
    public var listen: String
    /// A file holding the token `/`, `/status` and `/media/` ask for (`Authorization: Bearer`, or
    /// the session cookie a `/?token=` visit sets). The token itself never stands in the YAML.
    public var tokenFile: String?
    /// Serve a non-loopback `listen` without a token, on purpose.
    public var isPublic: Bool
    /// `/metrics` asks for the token too.
    public var protectMetrics: Bool

    public init(
        listen: String = "127.0.0.1:9464", tokenFile: String? = nil, isPublic: Bool = false,
        protectMetrics: Bool = false
    ) {
        self.listen = listen
        self.tokenFile = tokenFile
        self.isPublic = isPublic
        self.protectMetrics = protectMetrics
    }

    /// The host part of `listen`, without IPv6 brackets.
    public var host: String {
        var host = listen.split(separator: ":").dropLast().joined(separator: ":")
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host
    }

    /// Whether only this machine can reach `listen`.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
