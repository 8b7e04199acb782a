/// Which addresses a transfer may connect to. By default nothing on loopback, private (RFC 1918,
/// CGNAT, ULA), link-local (cloud metadata included), multicast, reserved or unspecified
/// networks: a post must not be able to make the daemon probe the owner's network. Checked on
/// the address actually connected, so redirects and DNS answers are covered.
public struct AddressPolicy: Sendable, Equatable {
    public static let blockedNetworks: [NetworkRange] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "64:ff9b:1::/48",
    ].compactMap { NetworkRange($0) }

    /// Networks exempt from the block (`fetch.allow_networks`).
    public var allowed: [NetworkRange]

    public init(allowed: [NetworkRange] = []) {
        self.allowed = allowed
    }

    /// Parses CIDR strings; returns nil with the first bad entry.
    public static func parse(allowNetworks: [String]) -> Result<AddressPolicy, FetchFailure> {
        var ranges: [NetworkRange] = []
        for text in allowNetworks {
            guard let range = NetworkRange(text) else {
                return .failure(FetchFailure(kind: .invalidURL, message: "'\(text)' is not a CIDR network"))
            }
            ranges.append(range)
        }
        return .success(AddressPolicy(allowed: ranges))
    }

    public func permits(_ address: [UInt8]) -> Bool {
        var candidate = address
        // IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it carries.
        if address.count == 16, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xFF, address[11] == 0xFF {
            candidate = Array(address[12..<16])
        }
        if allowed.contains(where: { $0.contains(candidate) || $0.contains(address) }) { return true }
        return !Self.blockedNetworks.contains { $0.contains(candidate) }
    }
}
