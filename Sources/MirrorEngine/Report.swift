/// What `mediamirror report --json` prints: a stable shape scripts and tests consume.
public struct Report: Sendable, Codable, Equatable {
    public var references: [Reference]
    public var assets: [Asset]
    public var failures: [Failure]
    public var gone: [Gone]
    public var totals: Totals
    /// Referers hosts were found to need, learned from refusals overcome.
    public var refererRules: [RefererRule] = []
    /// Images mirrored from web archives, their origins having lost them.
    public var rescued: [Rescued] = []
    /// Likely placeholders (`fetch.suspect_placeholders`); empty when that is off.
    public var suspects: [Suspect] = []

    enum CodingKeys: String, CodingKey {
        case references, assets, failures, gone, totals, rescued, suspects
        case refererRules = "referer_rules"
    }
}
