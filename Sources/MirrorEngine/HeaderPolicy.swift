import MirrorConfig
import MirrorFetch

/// The extra request headers for one URL, from `fetch.host_rules`: no Referer unless a rule
/// asks for one, a rule's User-Agent instead of the default, and its other headers.
struct HeaderPolicy: Sendable {
    let rules: [HostRule]
    /// `site.base_url`, for the `site` referer policy.
    let siteURL: String

    init(configuration: MirrorConfiguration) {
        rules = configuration.fetch.hostRules
        siteURL = configuration.site.baseURL
    }

    func headers(for url: String) -> [String] {
        guard let host = URLOrigin.host(of: url), let rule = rules.first(where: { $0.matches(host: host) }) else {
            return []
        }
        var headers: [String] = []
        switch rule.referer {
        case .origin:
            if let origin = URLOrigin(url) { headers.append("Referer: \(origin.referer)") }
        case .site:
            if !siteURL.isEmpty { headers.append("Referer: \(siteURL)") }
        case .fixed(let value):
            headers.append("Referer: \(value)")
        case .none?, nil:
            break
        }
        if let userAgent = rule.userAgent { headers.append("User-Agent: \(userAgent)") }
        return headers + rule.headers
    }
}
