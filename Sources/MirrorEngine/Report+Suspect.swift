import MirrorFetch

extension Report {
    /// One picture a host served for several distinct URLs, each declared far larger than it is
    /// (`fetch.suspect_placeholders`): most likely a "not available" placeholder rather than the
    /// photos. Reported for a human to confirm (add its SHA-256 to `fetch.placeholders`).
    public struct Suspect: Sendable, Codable, Equatable {
        public var host: String
        public var sha256: String
        /// Displayed `[width, height]` of the picture.
        public var actual: [Int]
        public var urls: [String]

        /// Distinct URLs of one host that must serve the same picture.
        public static let minimumURLs = 3
        /// Each declared box at least this many times the picture's area…
        public static let minimumAreaRatio = 16
        /// …and at least this wide.
        public static let minimumDeclaredWidth = 200

        /// The suspects among `references`: same host, same picture, at least `minimumURLs`
        /// distinct URLs whose every declared size is tiny-against-large.
        static func find(in references: [Reference]) -> [Suspect] {
            struct Key: Hashable {
                var host: String
                var sha256: String
            }
            var groups: [Key: (actual: [Int], urls: Set<String>, innocent: Bool)] = [:]
            for reference in references {
                guard let url = reference.url, let sha256 = reference.sha256, let actual = reference.actual,
                    actual.count == 2, let host = URLOrigin.host(of: url)
                else { continue }
                let key = Key(host: host, sha256: sha256)
                var group = groups[key] ?? (actual, [], false)
                group.urls.insert(url)
                if let declared = reference.declared, declared.count == 2 {
                    let tiny =
                        declared[0] >= minimumDeclaredWidth
                        && declared[0] * declared[1] >= minimumAreaRatio * actual[0] * actual[1]
                    if !tiny { group.innocent = true }
                } else {
                    group.innocent = true
                }
                groups[key] = group
            }
            return groups.compactMap { key, group in
                guard !group.innocent, group.urls.count >= minimumURLs else { return nil }
                return Suspect(host: key.host, sha256: key.sha256, actual: group.actual, urls: group.urls.sorted())
            }.sorted { ($0.host, $0.sha256) < ($1.host, $1.sha256) }
        }
    }
}
