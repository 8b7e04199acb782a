import Testing

@testable import MirrorPosts

/// UTS #46 before Punycode; expected values from Python's `idna` package (`uts46_remap` with
/// std3_rules=False, transitional=False, then Punycode per label).
struct UTS46Tests {
    let resolver = ImageURLResolver(unwrapPrefixes: [], baseURL: nil, localPrefix: "")

    @Test(arguments: [
        ("ＢÜＣＨＥＲ。example", "xn--bcher-kva.example"),
        ("straße.de", "xn--strae-oqa.de"),  // nontransitional: ß stays
        ("ex\u{AD}ample.例子", "example.xn--fsqu00a"),  // soft hyphen dropped
        ("ﬁle.例え", "file.xn--r8jz45g"),
        ("①.テスト", "1.xn--zckzah"),
        ("Ⅻ.例子", "xii.xn--fsqu00a"),
        ("ＡＢＣ．ｃｏｍ", "abc.com"),
        ("MÜNCHEN.de", "xn--mnchen-3ya.de"),
        ("ς.gr", "xn--3xa.gr"),
        ("a\u{308}.com", "xn--4ca.com"),  // NFC
        ("例子．ｔｅｓｔ", "xn--fsqu00a.test"),
        ("x\u{FE0F}y.例子", "xy.xn--fsqu00a"),  // variation selector dropped
    ])
    func hostsAreMappedThenEncoded(host: String, expected: String) {
        #expect(Punycode.asciiHost(host) == expected)
        #expect(resolver.resolve("http://\(host)/a.jpg") == .fetch(ImageTarget(url: "http://\(expected)/a.jpg")))
    }

    @Test(arguments: [
        "例\u{2028}.com",  // disallowed
        "例／x.com",  // maps to "/", which would end the host elsewhere
        "例%41.com",
        "\u{301}例.com",  // leading combining mark
        "xn--例.com",  // claims Punycode but is not ASCII
    ])
    func invalidHostsAreNotFetched(host: String) {
        #expect(Punycode.asciiHost(host) == nil)
        #expect(resolver.resolve("http://\(host)/a.jpg").fetchedURL == nil)
    }

    @Test func asciiHostsAreLeftAsWritten() {
        #expect(Punycode.asciiHost("Example.COM") == "Example.COM")
        #expect(Punycode.asciiHost("xn--bcher-kva.example") == "xn--bcher-kva.example")
    }

    @Test func theTableIsWhole() {
        #expect(UTS46Table.unicodeVersion == "17.0.0")
        #expect(UTS46.map("Aa\u{3002}") == "aa.")
        #expect(UTS46.map("\u{E01EF}") == "")  // last variation selector: ignored
        #expect(UTS46.map("\u{E01F0}") == nil)  // past it: disallowed
        #expect(UTS46.map("\u{10FFFF}") == nil)
    }
}

extension ImageURLResolver.Resolution {
    fileprivate var fetchedURL: String? {
        if case .fetch(let target) = self { return target.url }
        return nil
    }
}
