import Testing

@testable import MirrorPosts

struct ImageURLResolverTests {
    let resolver = ImageURLResolver(
        unwrapPrefixes: ["https://cors.zfour.workers.dev/?"], baseURL: nil, localPrefix: "/images/mirror")

    @Test func unwrapsProxyPrefixKeepingTheWrapper() {
        let value = "https://cors.zfour.workers.dev/?http://zkres1.myzaker.com/202112/a_1024.jpg"
        #expect(
            resolver.resolve(value)
                == .fetch(ImageTarget(url: "http://zkres1.myzaker.com/202112/a_1024.jpg", wrapper: value)))
    }

    @Test func unwrapsPercentEncodedOrigin() {
        let value = "https://cors.zfour.workers.dev/?http%3A%2F%2Fx.test%2Fa.jpg"
        #expect(resolver.resolve(value) == .fetch(ImageTarget(url: "http://x.test/a.jpg", wrapper: value)))
    }

    @Test(arguments: [
        ("", "empty"),
        ("{{ page.image }}", "template expression"),
        ("/img/{% asset x %}", "template expression"),
        ("data:image/png;base64,AAAA", "data: URI"),
        ("javascript:alert(1)", "javascript: URI"),
        ("#top", "fragment"),
        ("/images/mirror/ab/abc.jpg", "already local"),
        ("img/a.png", "relative URL and no site.base_url"),
        ("ftp://x.test/a.jpg", "relative URL and no site.base_url"),
        ("http://a\u{FF0F}b.test/x.jpg", "no valid host name (IDNA)"),  // full-width solidus maps to "/"
        ("http:///x.jpg", "no valid host name (IDNA)"),
    ])
    func skips(value: String, reason: String) {
        guard case .skip(let skipped) = resolver.resolve(value) else {
            Issue.record("\(value) was not skipped")
            return
        }
        #expect(skipped.description == reason)
    }

    @Test func protocolRelativeBecomesHTTPS() {
        #expect(resolver.resolve("//cdn.test/a.jpg") == .fetch(ImageTarget(url: "https://cdn.test/a.jpg")))
    }

    @Test func relativeURLsResolveAgainstTheBase() {
        let withBase = ImageURLResolver(unwrapPrefixes: [], baseURL: "http://blog.test/posts/2024/", localPrefix: "/m")
        #expect(withBase.resolve("../img/a.png") == .fetch(ImageTarget(url: "http://blog.test/posts/img/a.png")))
        #expect(withBase.resolve("/img/b.png?x=1") == .fetch(ImageTarget(url: "http://blog.test/img/b.png?x=1")))
        #expect(withBase.resolve("//cdn.test/c.png") == .fetch(ImageTarget(url: "http://cdn.test/c.png")))
    }

    @Test func nonASCIIAndSpacesArePercentEncodedForFetching() {
        #expect(
            resolver.resolve(" http://x.test/图片 1.jpg?q=a b ")
                == .fetch(ImageTarget(url: "http://x.test/%E5%9B%BE%E7%89%87%201.jpg?q=a%20b")))
        #expect(resolver.resolve("http://x.test/a%20b.jpg") == .fetch(ImageTarget(url: "http://x.test/a%20b.jpg")))
    }
}

extension ImageURLResolverTests {
    @Test func queryParameterRulesFindTheOriginAnywhereInTheQuery() {
        let resolver = ImageURLResolver(unwrapPrefixes: ["https://wsrv.nl/?url="], baseURL: nil, localPrefix: "/m")
        let wrapped = "https://wsrv.nl/?w=300&url=http%3A%2F%2Fcdn.test%2Fa%20b.jpg&q=80"
        #expect(resolver.resolve(wrapped) == .fetch(ImageTarget(url: "http://cdn.test/a%20b.jpg", wrapper: wrapped)))
        #expect(
            resolver.resolve("https://wsrv.nl/?url=https://cdn.test/x.png")
                == .fetch(
                    ImageTarget(url: "https://cdn.test/x.png", wrapper: "https://wsrv.nl/?url=https://cdn.test/x.png")))
        // Another endpoint, or no such parameter: not unwrapped.
        #expect(
            resolver.resolve("https://other.test/?url=http://cdn.test/a.jpg")
                == .fetch(ImageTarget(url: "https://other.test/?url=http://cdn.test/a.jpg")))
        #expect(resolver.resolve("https://wsrv.nl/?w=300") == .fetch(ImageTarget(url: "https://wsrv.nl/?w=300")))
    }
}

extension ImageURLResolverTests {
    @Test func internationalisedHostsBecomeASCII() {
        #expect(
            resolver.resolve("http://bücher.example/a.jpg")
                == .fetch(ImageTarget(url: "http://xn--bcher-kva.example/a.jpg")))
        #expect(
            resolver.resolve("https://例え.テスト:8443/画像.png")
                == .fetch(ImageTarget(url: "https://xn--r8jz45g.xn--zckzah:8443/%E7%94%BB%E5%83%8F.png")))
        #expect(resolver.resolve("http://MÜNCHEN.de/x") == .fetch(ImageTarget(url: "http://xn--mnchen-3ya.de/x")))
        #expect(resolver.resolve("http://ascii.test/ü") == .fetch(ImageTarget(url: "http://ascii.test/%C3%BC")))
    }
}

extension ImageURLResolverTests {
    /// The one-pass answers (plain URLs, URLs behind a prefix rule) must be what every rule in
    /// order would give, and anything they are not sure of must go through every rule.
    @Test func theQuickAnswersAgreeWithEveryRule() {
        let resolvers = [
            resolver,
            ImageURLResolver(
                unwrapPrefixes: ["https://cors.zfour.workers.dev/?", "https://wsrv.nl/?url="],
                baseURL: "https://blog.example.net/a/", localPrefix: "https://blog.example.net/m/"),
        ]
        let quick = [
            "http://a.test/x.jpg", "HTTPS://A.TEST/X.JPG", "hTTp://a.test/?q=1&r=%20#f", "https://a.test:8080/x;y~z!",
            "https://wsrv.nl/x.jpg", "https://cors.zfour.workers.dev/?http://b.test/y.png",
            "https://cors.zfour.workers.dev/?HTTPS://b.test/?a=1&b=2",
        ]
        let slow = [
            "http://a.test/a b.jpg", " http://a.test/x.jpg", "http://a.test/x.jpg\n", "http://例子.test/a.jpg",
            "http://a.test/\"q\".jpg", "http://a.test/{{x}}.jpg", "http:///x.jpg", "http://", "http:/a.test/x.jpg",
            "ftp://a.test/x.jpg", "https://wsrv.nl/?url=http%3A%2F%2Fe.test%2Fq.jpg",
            "https://blog.example.net/m/ab.jpg",
            "http://a.test/<x>", "http://a.test/^x", "http://a.test/x|y", "http://a.test/x\\y", "//a.test/x.jpg",
            "https://cors.zfour.workers.dev/?http%3A%2F%2Fb.test%2Fy.png", "https://cors.zfour.workers.dev/?http:///x",
            "https://cors.zfour.workers.dev/?ftp://b.test/y.png", "https://cors.zfour.workers.dev/?",
            "https://cors.zfour.workers.dev/?//b.test/y.png", "https://wsrv.nl/?w=1",
        ]
        for resolver in resolvers {
            for value in quick + slow {
                if let answer = resolver.quickResolution(value) {
                    #expect(answer == resolver.resolveByEveryRule(value), "\(value)")
                }
                #expect(resolver.resolve(value) == resolver.resolveByEveryRule(value), "\(value)")
            }
        }
        for value in quick {
            #expect(resolvers[1].quickResolution(value) != nil, "\(value)")
        }
        for value in slow {
            #expect(resolvers[1].quickResolution(value) == nil, "\(value)")
        }
        // Unusual rules (empty, not plain ASCII) always take every rule.
        for rules in [[""], ["https://x.test/?\u{301}"]] {
            let unusual = ImageURLResolver(unwrapPrefixes: rules, baseURL: nil, localPrefix: "")
            #expect(unusual.quickResolution("http://a.test/x.jpg") == nil)
        }
    }
}
