import Foundation

/// `fetch.host_rules`: request headers for the hosts a pattern names, written as one string per
/// rule: `PATTERN | referer: POLICY | user-agent: TEXT | Name: value …`.
///
/// PATTERN is a host (`img.example.com`), a domain and its subdomains (`*.sinaimg.cn`), or `*`.
/// The referer POLICY is `none` (the default everywhere), `origin` (the image's own
/// `scheme://host/`), `site` (`site.base_url`) or a fixed URL. The first rule whose pattern
/// matches a host applies.
public struct HostRule: Sendable, Equatable {
    public enum RefererPolicy: Sendable, Equatable {
        case none, origin, site
        case fixed(String)
    }

    /// The rule as written in the configuration.
    public var text: String
    public var pattern: String
    public var referer: RefererPolicy?
    public var userAgent: String?
    /// Other headers, `Name: value`.
    public var headers: [String]

    public init(
        text: String, pattern: String, referer: RefererPolicy? = nil, userAgent: String? = nil, headers: [String] = []
    ) {
        self.text = text
        self.pattern = pattern
        self.referer = referer
        self.userAgent = userAgent
        self.headers = headers
    }

    /// Parses one rule; the error text says what is wrong with it.
    public static func parse(_ text: String) throws(HostRuleError) -> HostRule {
        let parts = text.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let pattern = parts.first?.lowercased(), !pattern.isEmpty, !pattern.contains(" "),
            pattern == "*" || !pattern.dropFirst(pattern.hasPrefix("*.") ? 2 : 0).contains("*")
        else {
            throw HostRuleError(rule: text, reason: "must start with a host, *.domain or *")
        }
        var rule = HostRule(text: text, pattern: pattern)
        for part in parts.dropFirst() {
            guard let colon = part.firstIndex(of: ":") else {
                throw HostRuleError(rule: text, reason: "'\(part)' is not 'Name: value'")
            }
            let name = part[..<colon].trimmingCharacters(in: .whitespaces)
            let value = part[part.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !name.contains(" "), !value.contains("\n"), !value.contains("\r") else {
                throw HostRuleError(rule: text, reason: "'\(part)' is not 'Name: value'")
            }
            switch name.lowercased() {
            case "referer", "referrer":
                switch value.lowercased() {
                case "none": rule.referer = RefererPolicy.none
                case "origin": rule.referer = .origin
                case "site": rule.referer = .site
                default:
                    guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
                        throw HostRuleError(
                            rule: text, reason: "referer must be none, origin, site or an http(s) URL, got '\(value)'")
                    }
                    rule.referer = .fixed(value)
                }
            case "user-agent":
                rule.userAgent = value
            default:
                rule.headers.append("\(name): \(value)")
            }
        }
        return rule
    }

    public func matches(host: String) -> Bool {
        if pattern == "*" { return true }
        if pattern.hasPrefix("*.") {
            let domain = pattern.dropFirst(2)
            return host == domain || host.hasSuffix("." + domain)
        }
        return host == pattern
    }
}

public struct HostRuleError: Error, Sendable {
    public var rule: String
    public var reason: String
}
