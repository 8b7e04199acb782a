/// How the report page links the stored files it shows.
public enum ImageLinks: Sendable, Equatable {
    /// Relative to the page's directory (`report --html FILE`).
    case relative(directory: String)
    /// Served below `prefix` by the daemon: the path below `root` (`site.media`), encoded.
    case served(prefix: String, root: String)

    func href(_ absolutePath: String) -> String {
        switch self {
        case .relative(let directory):
            return RelativeLink.from(directory: directory, to: absolutePath)
        case .served(let prefix, let root):
            let base = root.hasSuffix("/") ? root : root + "/"
            let below = absolutePath.hasPrefix(base) ? String(absolutePath.dropFirst(base.count)) : absolutePath
            return prefix
                + below.split(separator: "/").map { RelativeLink.percentEncoded(String($0)) }
                .joined(separator: "/")
        }
    }
}
