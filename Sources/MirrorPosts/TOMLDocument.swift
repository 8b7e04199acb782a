/// A TOML file read for the few top-level settings other tools need (a generator's own
/// configuration: Hugo's `baseURL`, `staticDir`).
public enum TOMLDocument {
    /// The top-level string values of a TOML document; nil when it is not valid TOML.
    public static func topLevelStrings(_ bytes: [UInt8]) -> [String: String]? {
        guard let table = try? TOMLReader.read(bytes, range: 0..<bytes.count) else { return nil }
        var strings: [String: String] = [:]
        for key in table.keys {
            if case .string(let value, _, _)? = table[key] { strings[key] = value }
        }
        return strings
    }
}
