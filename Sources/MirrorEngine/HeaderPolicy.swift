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

    /// Whether a rule names the Referer for `url`'s host: then no other is ever tried.
    func decidesReferer(for url: String) -> Bool {
        guard let host = URLOrigin.host(of: url) else { return true }
        return rules.first(where: { $0.matches(host: host) })?.referer != nil
    }

    /// The headers for `url`, with `referer` as the Referer when no rule names one.
    func headers(for url: String, referer: RefererChoice = .none) -> [String] {
        guard let host = URLOrigin.host(of: url), let rule = rules.first(where: { $0.matches(host: host) }) else {
            return refererHeader(referer, for: url)
        }
        var headers: [String] = rule.referer == nil ? refererHeader(referer, for: url) : []
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

    private func refererHeader(_ choice: RefererChoice, for url: String) -> [String] {
        switch choice {
        case .none: return []
        case .origin: return URLOrigin(url).map { ["Referer: \($0.referer)"] } ?? []
        case .site: return siteURL.isEmpty ? [] : ["Referer: \(siteURL)"]
        }
    }
}
