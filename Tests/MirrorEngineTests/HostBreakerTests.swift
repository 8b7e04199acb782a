import Testing

@testable import MirrorEngine

struct HostBreakerTests {
    /// Five https failures through a proxy must not pause the same host's http URLs, nor
    /// another port's.
    @Test func countsByOriginNotByHost() {
        let breaker = HostBreaker(threshold: 5)
        let https = HostBreaker.origin(of: "https://img.test/a.jpg")
        for _ in 0..<5 { breaker.recordTransientFailure(https) }
        #expect(breaker.isOpen(https))
        #expect(breaker.isOpen(HostBreaker.origin(of: "https://img.test:443/other.jpg")))
        #expect(!breaker.isOpen(HostBreaker.origin(of: "http://img.test/a.jpg")))
        #expect(!breaker.isOpen(HostBreaker.origin(of: "https://img.test:8443/a.jpg")))
        breaker.recordSuccess(https)
        #expect(!breaker.isOpen(https))
    }
}
