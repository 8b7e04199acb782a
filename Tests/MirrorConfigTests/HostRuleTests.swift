import MirrorConfig
import Testing

struct HostRuleTests {
    @Test func rulesParseWithTheirPolicies() throws {
        let rule = try HostRule.parse(
            "*.sinaimg.cn | referer: origin | user-agent: Mozilla/5.0 (X11; Linux) | X-Test: a")
        #expect(rule.pattern == "*.sinaimg.cn")
        #expect(rule.referer == .origin)
        #expect(rule.userAgent == "Mozilla/5.0 (X11; Linux)")
        #expect(rule.headers == ["X-Test: a"])
        #expect(
            try HostRule.parse("img.example.com | Referer: https://blog.example.net/").referer
                == .fixed("https://blog.example.net/"))
        #expect(try HostRule.parse("* | referer: site").referer == .site)
        #expect(try HostRule.parse("*").referer == nil)
    }

    @Test func patternsMatchHostsAndSubdomains() throws {
        let domain = try HostRule.parse("*.sinaimg.cn")
        #expect(domain.matches(host: "wx1.sinaimg.cn"))
        #expect(domain.matches(host: "sinaimg.cn"))
        #expect(!domain.matches(host: "notsinaimg.cn"))
        let exact = try HostRule.parse("img.example.com")
        #expect(exact.matches(host: "img.example.com"))
        #expect(!exact.matches(host: "a.img.example.com"))
        #expect(try HostRule.parse("*").matches(host: "anything.test"))
    }

    @Test func badRulesSayWhy() {
        for text in [
            "", "img.*.com", "a b | referer: none", "x.com | referer: sometimes", "x.com | no colon",
            "x.com | X-Test: a|b",
        ] {
            #expect(throws: HostRuleError.self, "\(text)") { try HostRule.parse(text) }
        }
    }
}
