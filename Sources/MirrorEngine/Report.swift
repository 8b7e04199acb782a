/// What `mediamirror report --json` prints: a stable shape scripts and tests consume.
public struct Report: Sendable, Codable, Equatable {
    public var references: [Reference]
    public var assets: [Asset]
    public var failures: [Failure]
    public var gone: [Gone]
    public var totals: Totals
}
