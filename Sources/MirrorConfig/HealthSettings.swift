/// `health.*`: where the daemon's health and metrics endpoint listens.
public struct HealthSettings: Sendable, Equatable {
    /// `host:port`.
    public var listen: String

    public init(listen: String = "127.0.0.1:9464") {
        self.listen = listen
    }
}
