/// One web archive `rescue.archives` names, written `wayback` (the Internet Archive's Wayback
/// Machine), `wayback URL` (another Wayback availability API) or `memento URL` (an RFC 7089
/// TimeGate: the image's URL is appended to URL and asked with `Accept-Datetime`).
public struct ArchiveEndpoint: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case wayback, memento
    }

    public static let internetArchive = "https://archive.org/wayback/available"

    /// The entry as written in the configuration.
    public var text: String
    public var kind: Kind
    public var url: String

    public init(text: String, kind: Kind, url: String) {
        self.text = text
        self.kind = kind
        self.url = url
    }

    /// Parses one entry; the error says what is wrong with it.
    public static func parse(_ text: String) -> Result<ArchiveEndpoint, ArchiveEndpointError> {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = parts.first, let kind = Kind(rawValue: first.lowercased()), parts.count <= 2 else {
            return .failure(ArchiveEndpointError(reason: "'\(text)' is not 'wayback', 'wayback URL' or 'memento URL'"))
        }
        guard parts.count == 2 else {
            guard kind == .wayback else {
                return .failure(ArchiveEndpointError(reason: "'\(text)': a memento archive needs its TimeGate URL"))
            }
            return .success(ArchiveEndpoint(text: text, kind: .wayback, url: internetArchive))
        }
        let url = parts[1]
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            return .failure(ArchiveEndpointError(reason: "'\(text)': '\(url)' is not an http(s) URL"))
        }
        return .success(ArchiveEndpoint(text: text, kind: kind, url: url))
    }
}

public struct ArchiveEndpointError: Error, Sendable {
    public var reason: String
}
