import MirrorFetch
import Testing

struct AddressPolicyTests {
    func permits(_ policy: AddressPolicy, _ address: String) throws -> Bool {
        policy.permits(try #require(NetworkRange.parseAddress(address)))
    }

    @Test(arguments: [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "ff02::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ])
    func blockedByDefault(address: String) throws {
        #expect(try !permits(AddressPolicy(), address))
    }

    @Test(arguments: ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:1.1.1.1"])
    func publicAddressesArePermitted(address: String) throws {
        #expect(try permits(AddressPolicy(), address))
    }

    @Test func allowNetworksOpenOnlyWhatTheySay() throws {
        let policy = try AddressPolicy.parse(allowNetworks: ["127.0.0.0/8", "fd12:3456::/32"]).get()
        #expect(try permits(policy, "127.8.9.10"))
        #expect(try permits(policy, "::ffff:127.0.0.1"))
        #expect(try permits(policy, "fd12:3456:1::1"))
        #expect(try !permits(policy, "10.0.0.1"))
        #expect(throws: FetchFailure.self) { try AddressPolicy.parse(allowNetworks: ["10.0.0.0/33"]).get() }
        #expect(throws: FetchFailure.self) { try AddressPolicy.parse(allowNetworks: ["not-a-network"]).get() }
    }
}
