/// Chooses the proxy for a URL the way curl does from `http_proxy`, `https_proxy`, `all_proxy`
/// and `no_proxy` (lower case first), with `fetch.proxy` taking precedence. The choice is then
/// given to curl explicitly, so curl and the address policy agree on which connections go to the
/// (trusted) proxy.
public struct ProxySelector: Sendable {
    public var configured: String
    public var environment: [String: String]

    public init(configured: String, environment: [String: String]) {
        self.configured = configured
        self.environment = environment
    }

    /// The proxy URL for `url`, or nil for a direct connection.
    public func proxy(for url: String, host: String) -> String? {
        if !configured.isEmpty { return excluded(host) ? nil : configured }
        let lower = url.lowercased()
        let schemeVariable = lower.hasPrefix("https:") ? "https_proxy" : "http_proxy"
        // curl ignores upper-case HTTP_PROXY (CGI programs get it from a request header).
        let candidates = schemeVariable == "http_proxy" ? ["http_proxy"] : ["https_proxy", "HTTPS_PROXY"]
        for name in candidates + ["all_proxy", "ALL_PROXY"] {
            if let value = environment[name], !value.isEmpty {
                return excluded(host) ? nil : value
            }
        }
        return nil
    }

    private func excluded(_ host: String) -> Bool {
        guard let list = environment["no_proxy"] ?? environment["NO_PROXY"] else { return false }
        let host = host.lowercased()
        for entry in list.split(separator: ",") {
            var pattern = String(entry).trimmingSpaces().lowercased()
            if pattern == "*" { return true }
            if pattern.hasPrefix(".") { pattern.removeFirst() }
            if pattern.isEmpty { continue }
            if host == pattern || host.hasSuffix("." + pattern) { return true }
        }
        return false
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var result = Substring(self)
        while result.first == " " { result.removeFirst() }
        while result.last == " " { result.removeLast() }
        return String(result)
    }
}
