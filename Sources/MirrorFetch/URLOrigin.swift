import Foundation

/// The origin of an http(s) URL, RFC 6454's triple: scheme, host and port, all that the fetch
/// side needs of a URL's authority (host rules, proxies, the per-host queue, the circuit
/// breaker, the report's grouping by host). The one place such URLs are taken apart.
public struct URLOrigin: Hashable, Sendable, CustomStringConvertible {
    /// Lower-cased (`http`, `https`).
    public var scheme: String
    /// Lower-cased, without brackets for IPv6, port or credentials.
    public var host: String
    /// The explicit port, or the scheme's default (80, 443).
    public var port: Int
    /// The authority as written, credentials left out: what a Referer of this origin names.
    public var authority: Substring

    public init?(_ url: String) {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        scheme = url[..<schemeEnd.lowerBound].lowercased()
        var authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        self.authority = authority
        let portText: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close].lowercased()
            portText = authority[close...].dropFirst().drop { $0 == ":" }
        } else {
            let name = authority.prefix { $0 != ":" }
            host = name.lowercased()
            portText = authority[name.endIndex...].dropFirst()
        }
        guard !host.isEmpty else { return nil }
        if portText.isEmpty {
            port = scheme == "https" ? 443 : 80
        } else {
            guard let number = Int(portText), (0...65535).contains(number) else { return nil }
            port = number
        }
    }

    /// The lower-cased host of an http(s) URL, without port or credentials.
    public static func host(of url: String) -> String? {
        URLOrigin(url)?.host
    }

    /// `scheme://host:port`, with IPv6 hosts in brackets.
    public var description: String {
        "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// Two origins are the same server whatever their authorities spell (`:80` or not).
    public static func == (left: URLOrigin, right: URLOrigin) -> Bool {
        (left.scheme, left.host, left.port) == (right.scheme, right.host, right.port)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(scheme)
        hasher.combine(host)
        hasher.combine(port)
    }

    /// The origin as a Referer names it: `scheme://authority/`.
    public var referer: String {
        "\(scheme)://\(authority)/"
    }
}
