import MirrorFetch
import Testing

struct URLOriginTests {
    @Test func splitsSchemeHostAndPort() throws {
        let plain = try #require(URLOrigin("http://IMG.Example.com/a.jpg?x=1"))
        #expect(plain.scheme == "http" && plain.host == "img.example.com" && plain.port == 80)
        #expect(plain.description == "http://img.example.com:80")
        let secure = try #require(URLOrigin("HTTPS://user:secret@img.example.com:8443#frag"))
        #expect(secure.scheme == "https" && secure.host == "img.example.com" && secure.port == 8443)
        #expect(secure.referer == "https://img.example.com:8443/", "credentials never go into a Referer")
        let v6 = try #require(URLOrigin("https://[2001:DB8::1]/p.png"))
        #expect(v6.host == "2001:db8::1" && v6.port == 443)
        #expect(v6.description == "https://[2001:db8::1]:443")
        #expect(URLOrigin("https://[::1]:8080/")?.port == 8080)
    }

    @Test func refusesWhatIsNoOrigin() {
        for url in ["img.example.com/a.jpg", "http:///a.jpg", "http://host:99999/", "http://host:x/", "http://[::1/"] {
            #expect(URLOrigin(url) == nil, "\(url)")
        }
    }

    @Test func theSameHostOnAnotherSchemeOrPortIsAnotherOrigin() {
        let origins = Set(
            ["http://a.test/1", "https://a.test/2", "http://a.test:8080/3", "http://a.test:80/4"].compactMap(
                URLOrigin.init))
        #expect(origins.count == 3)
    }
}
