extension Report {
    /// A Referer a host was found to need (`fetch.learn_referer`).
    public struct RefererRule: Sendable, Codable, Equatable {
        public var host: String
        /// `origin` or `site`.
        public var referer: String
        /// The URL whose success taught the rule.
        public var url: String
        public var learnedAt: Double

        enum CodingKeys: String, CodingKey {
            case host, referer, url
            case learnedAt = "learned_at"
        }
    }
}
