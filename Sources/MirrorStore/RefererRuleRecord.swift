import GRDB

/// A Referer a host was found to need (`fetch.learn_referer`): learned when a request without
/// one was refused and a request with it succeeded, and sent first to that host from then on.
public struct RefererRuleRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "referer_rules"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// The host, lower case, as `fetch.host_rules` patterns name hosts.
    public var host: String
    /// `origin` (the image's own `scheme://host/`) or `site` (`site.base_url`).
    public var referer: String
    /// The URL whose success taught the rule.
    public var url: String
    public var learnedAt: Double

    public init(host: String, referer: String, url: String, learnedAt: Double) {
        self.host = host
        self.referer = referer
        self.url = url
        self.learnedAt = learnedAt
    }
}
