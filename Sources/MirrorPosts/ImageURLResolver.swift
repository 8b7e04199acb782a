import Foundation

/// Turns a value found in a post into something to fetch, or into the reason it is left alone.
public struct ImageURLResolver: Sendable {
    /// Proxy-wrapper prefixes: `https://cors.zfour.workers.dev/?<url>`.
    public var unwrapPrefixes: [String] {
        didSet { quickRules = QuickUnwrapRule.all(unwrapPrefixes) }
    }
    /// Resolves relative URLs; nil leaves them alone.
    public var baseURL: String?
    /// Whether a path relative to the post (not starting with `/`) is resolved against
    /// ``baseURL``. Hugo page bundles keep such images beside the post: they are the site's own.
    public var resolvesPostRelativePaths = true
    /// Values starting with this are already local copies.
    public var localPrefix: String {
        didSet { localPrefixBytes = Array(localPrefix.utf8) }
    }
    /// The rules and the local prefix as bytes, so the one-pass answers do no text work per value.
    private var quickRules: [QuickUnwrapRule]?
    private var localPrefixBytes: [UInt8]

    public init(unwrapPrefixes: [String], baseURL: String?, localPrefix: String) {
        self.unwrapPrefixes = unwrapPrefixes
        self.baseURL = baseURL.flatMap { $0.isEmpty ? nil : $0 }
        self.localPrefix = localPrefix
        quickRules = QuickUnwrapRule.all(unwrapPrefixes)
        localPrefixBytes = Array(localPrefix.utf8)
    }

    public enum Resolution: Sendable, Equatable {
        case fetch(ImageTarget)
        case skip(SkipReason)
    }

    public func resolve(_ value: String) -> Resolution {
        quickResolution(value) ?? resolveByEveryRule(value)
    }

    /// Every rule in order; ``resolve(_:)`` settles the common case before it.
    func resolveByEveryRule(_ value: String) -> Resolution {
        let trimmed = value.trimmingASCIIWhitespace()
        if trimmed.isEmpty { return .skip(.empty) }
        if trimmed.containsBytes("{{") || trimmed.containsBytes("{%") { return .skip(.templateExpression) }
        if !localPrefix.isEmpty, trimmed.hasPrefix(localPrefix) { return .skip(.alreadyLocal) }
        let lowerBytes: [UInt8] = trimmed.utf8.prefix(11).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        let lower = String(decoding: lowerBytes, as: UTF8.self)
        for scheme in ["data:", "javascript:", "blob:", "about:", "mailto:", "file:"] where lower.hasPrefix(scheme) {
            return .skip(.nonHTTPScheme(scheme))
        }
        if trimmed.hasPrefix("#") { return .skip(.fragment) }

        for rule in unwrapPrefixes where Self.isQueryRule(rule) {
            if let inner = Self.queryParameter(of: trimmed, rule: rule), Self.isHTTP(inner), let url = absolute(inner) {
                return .fetch(ImageTarget(url: url, wrapper: Self.percentEncoded(trimmed)))
            }
        }
        for prefix in unwrapPrefixes where !Self.isQueryRule(prefix) && trimmed.hasPrefix(prefix) {
            let inner = String(trimmed.dropFirst(prefix.count))
            let origin =
                Self.isHTTP(inner) ? inner : (Self.percentDecoded(inner).flatMap { Self.isHTTP($0) ? $0 : nil })
            if let origin, let url = absolute(origin) {
                return .fetch(ImageTarget(url: url, wrapper: Self.percentEncoded(trimmed)))
            }
        }
        if !resolvesPostRelativePaths, !trimmed.hasPrefix("/"), !Self.hasScheme(trimmed) {
            return .skip(.pageBundleRelative)
        }
        guard let url = absolute(trimmed) else {
            if Self.isHTTP(trimmed) { return .skip(.invalidHostName) }
            return .skip(baseURL == nil ? .relativeWithoutBaseURL : .notHTTP)
        }
        return .fetch(ImageTarget(url: url))
    }

    /// The common cases, settled in one pass over the bytes; nil sends the value through every
    /// rule. Both take a value that starts with `http://` or `https://` (so no skipped scheme or
    /// fragment applies), is written only in bytes a URL may carry as sent (nothing to trim,
    /// percent-encode or turn into Punycode, no template) and is not under the local prefix:
    /// - under no unwrap rule, with a host: the value is its own URL;
    /// - under a prefix rule and no query rule's endpoint, with such a URL right after the
    ///   prefix: that URL is the origin and the value its wrapper.
    func quickResolution(_ value: String) -> Resolution? {
        guard let quickRules else { return nil }
        var text = value
        let origin = text.withUTF8 { bytes -> Range<Int>? in
            guard bytes.count > 8, Self.startsWithHTTPScheme(bytes) else { return nil }
            for byte in bytes where !Self.isAllowedInURL(byte) { return nil }
            if !localPrefixBytes.isEmpty, bytes.starts(with: localPrefixBytes) { return nil }
            var wrapperPrefix: Int?
            for rule in quickRules {
                if let endpoint = rule.endpointLength {
                    if bytes.starts(with: rule.bytes[..<endpoint]) { return nil }
                } else if wrapperPrefix == nil, bytes.starts(with: rule.bytes) {
                    wrapperPrefix = rule.bytes.count
                }
            }
            let start = wrapperPrefix ?? 0
            let url = UnsafeBufferPointer(rebasing: bytes[start...])
            guard url.count > 8, Self.startsWithHTTPScheme(url), Self.hasHost(url) else { return nil }
            return start..<bytes.count
        }
        guard let origin else { return nil }
        if origin.lowerBound == 0 { return .fetch(ImageTarget(url: value)) }
        let url = String(decoding: value.utf8.dropFirst(origin.lowerBound), as: UTF8.self)
        return .fetch(ImageTarget(url: url, wrapper: value))
    }

    /// `http://` or `https://`, in any case.
    private static func startsWithHTTPScheme(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let lower = { (index: Int) -> UInt8 in bytes[index] | 0x20 }
        guard lower(0) == UInt8(ascii: "h"), lower(1) == UInt8(ascii: "t"), lower(2) == UInt8(ascii: "t"),
            lower(3) == UInt8(ascii: "p")
        else { return false }
        let colon = lower(4) == UInt8(ascii: "s") ? 5 : 4
        return bytes[colon] == UInt8(ascii: ":") && bytes[colon + 1] == UInt8(ascii: "/")
            && bytes[colon + 2] == UInt8(ascii: "/")
    }

    /// A rule ending in `name=` (`https://wsrv.nl/?url=`) names a query parameter holding the
    /// origin, wherever it stands in the query; any other rule is a prefix
    /// (`https://cors.zfour.workers.dev/?<url>`).
    static func isQueryRule(_ rule: String) -> Bool {
        guard rule.hasSuffix("="), let question = rule.firstIndex(of: "?") else { return false }
        return !rule[rule.index(after: question)...].dropLast().isEmpty
    }

    /// The decoded value of the rule's parameter when `value` is the rule's endpoint.
    static func queryParameter(of value: String, rule: String) -> String? {
        guard let ruleQuestion = rule.firstIndex(of: "?") else { return nil }
        let endpoint = rule[...ruleQuestion]
        guard value.hasPrefix(endpoint) else { return nil }
        let parameters = rule[rule.index(after: ruleQuestion)...].split(separator: "&")
        guard let last = parameters.last else { return nil }
        let name = last.dropLast()
        let query = value.dropFirst(endpoint.count).prefix { $0 != "#" }
        for item in query.split(separator: "&") {
            guard let equals = item.firstIndex(of: "="), item[..<equals] == name else { continue }
            let raw = String(item[item.index(after: equals)...])
            return percentDecoded(raw) ?? raw
        }
        return nil
    }

    /// The URL with an internationalised host in its ASCII (`xn--`) form; nil if it cannot be.
    static func withASCIIHost(_ url: String) -> String? {
        if url.utf8.allSatisfy({ $0 < 0x80 }) { return url }
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.unicodeScalars.allSatisfy(\.isASCII) else { return url }
        var hostStart = authority.startIndex
        if let at = authority.lastIndex(of: "@") { hostStart = authority.index(after: at) }
        let hostAndPort = authority[hostStart...]
        let hostEnd = hostAndPort.lastIndex(of: ":") ?? hostAndPort.endIndex
        guard let host = Punycode.asciiHost(String(hostAndPort[..<hostEnd])) else { return nil }
        return String(url[..<schemeEnd.upperBound]) + authority[..<hostStart] + host + hostAndPort[hostEnd...]
            + rest[authorityEnd...]
    }

    /// An absolute, percent-encoded http(s) URL, or nil.
    func absolute(_ text: String) -> String? {
        if text.hasPrefix("//") {
            let scheme = baseURL.flatMap { $0.hasPrefix("http://") ? "http:" : nil } ?? "https:"
            return Self.withASCIIHost(scheme + text).map(Self.percentEncoded)
        }
        if Self.isHTTP(text) {
            guard Self.hasHost(text) else { return nil }
            return Self.withASCIIHost(text).map(Self.percentEncoded)
        }
        if Self.hasScheme(text) { return nil }
        guard let baseURL, Self.isHTTP(baseURL) else { return nil }
        return Self.percentEncoded(Self.join(base: baseURL, relative: text))
    }

    /// `scheme:` at the start, as RFC 3986 spells a scheme.
    static func hasScheme(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        for scalar in text.unicodeScalars.dropFirst() {
            if scalar == ":" { return true }
            let allowed =
                scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "+.-".unicodeScalars.contains(scalar))
            if !allowed { return false }
        }
        return false
    }

    static func isHTTP(_ text: String) -> Bool {
        let lower = text.prefix(8).lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// Something between `scheme://` and the path: `http:///x` has no host.
    private static func hasHost(_ text: String) -> Bool {
        hasHost(text.utf8)
    }

    private static func hasHost<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
        var index = bytes.index(after: colon)
        for _ in 0..<2 {
            guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "/") else { return false }
            index = bytes.index(after: index)
        }
        guard index < bytes.endIndex else { return false }
        let first = bytes[index]
        return first != UInt8(ascii: "/") && first != UInt8(ascii: "?") && first != UInt8(ascii: "#")
    }

    /// RFC 3986 reference resolution for the common cases: absolute path, or path relative
    /// to the base's directory, with `.` and `..` segments removed.
    static func join(base: String, relative: String) -> String {
        guard let schemeEnd = base.range(of: "://") else { return relative }
        let afterScheme = base[schemeEnd.upperBound...]
        let isDelimiter: (Character) -> Bool = { $0 == "/" || $0 == "?" || $0 == "#" }
        let authorityEnd = afterScheme.firstIndex(where: isDelimiter) ?? afterScheme.endIndex
        let origin = String(base[..<authorityEnd])
        if relative.hasPrefix("/") { return origin + removeDotSegments(relative) }
        var basePath = String(afterScheme[authorityEnd...].prefix { $0 != "?" && $0 != "#" })
        if let slash = basePath.lastIndex(of: "/") {
            basePath = String(basePath[...slash])
        } else {
            basePath = "/"
        }
        return origin + removeDotSegments(basePath + relative)
    }

    private static func removeDotSegments(_ path: String) -> String {
        let queryStart = path.firstIndex { $0 == "?" || $0 == "#" } ?? path.endIndex
        var output: [Substring] = []
        let segments = path[..<queryStart].split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            if segment == "." { continue }
            if segment == ".." {
                if output.count > 1 { output.removeLast() }
                continue
            }
            if index == 0 || !segment.isEmpty || index == segments.count - 1 { output.append(segment) }
        }
        let joined = output.joined(separator: "/")
        return (joined.hasPrefix("/") ? joined : "/" + joined) + path[queryStart...]
    }

    /// Percent-encodes what may not stand in a URL as sent (non-ASCII, spaces, quotes, controls),
    /// leaving existing escapes and reserved characters as they are.
    public static func percentEncoded(_ text: String) -> String {
        if text.utf8.allSatisfy(isAllowedInURL) { return text }
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case _ where isAllowedInURL(byte):
                output.append(Character(Unicode.Scalar(byte)))
            default:
                output += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return output
    }

    @inline(__always)
    private static func isAllowedInURL(_ byte: UInt8) -> Bool {
        // One bit per ASCII byte: 0x21, 0x23...0x3B, 0x3D, 0x3F...0x5B, 0x5D, 0x5F, 0x61...0x7A, 0x7E.
        let low: UInt64 = 0xAFFF_FFFA_0000_0000
        let high: UInt64 = 0x47FF_FFFE_AFFF_FFFF
        return byte < 64 ? (low >> byte) & 1 == 1 : byte < 128 && (high >> (byte - 64)) & 1 == 1
    }

    static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
