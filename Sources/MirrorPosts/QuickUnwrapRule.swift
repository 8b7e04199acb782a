/// An unwrap rule as bytes, worked out once, for ``ImageURLResolver``'s one-pass answers.
struct QuickUnwrapRule: Sendable, Equatable {
    /// The rule's UTF-8.
    let bytes: [UInt8]
    /// A query rule (`https://wsrv.nl/?url=`) applies from its endpoint: the bytes through the
    /// "?". nil for a prefix rule, which applies from its whole text.
    let endpointLength: Int?

    /// nil for a rule the one-pass answers leave to every rule: empty, or with bytes other than
    /// printable ASCII, where bytes and Swift characters could disagree.
    init?(_ rule: String) {
        let bytes = Array(rule.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        self.bytes = bytes
        endpointLength =
            ImageURLResolver.isQueryRule(rule) ? bytes.firstIndex(of: UInt8(ascii: "?")).map { $0 + 1 } : nil
    }

    /// Rules for the one-pass answers; nil when any rule must take every rule.
    static func all(_ rules: [String]) -> [QuickUnwrapRule]? {
        var quick: [QuickUnwrapRule] = []
        for rule in rules {
            guard let rule = QuickUnwrapRule(rule) else { return nil }
            quick.append(rule)
        }
        return quick
    }
}
