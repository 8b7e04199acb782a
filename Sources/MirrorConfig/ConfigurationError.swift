/// A configuration that cannot be used, with the key (when there is one) and the reason.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var key: String?
    public var reason: String
    public var file: String?

    public init(key: String?, reason: String, file: String? = nil) {
        self.key = key
        self.reason = reason
        self.file = file
    }

    public var description: String {
        var text = "configuration"
        if let file { text += " \(file)" }
        if let key { text += ": \(key)" }
        return text + ": \(reason)"
    }
}
