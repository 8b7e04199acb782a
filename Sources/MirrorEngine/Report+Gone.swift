extension Report {
    public struct Gone: Sendable, Codable, Equatable {
        public var url: String
        public var since: Double
        public var sha256: String?
    }
}
