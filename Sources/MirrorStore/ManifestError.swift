/// Why the manifest cannot be used.
public struct ManifestError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "manifest \(path): \(reason)" }
}
