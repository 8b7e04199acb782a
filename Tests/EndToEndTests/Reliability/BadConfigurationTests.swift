import Foundation
import TestSupport
import Testing

/// Every kind of bad configuration stops `sync` and `daemon` before they touch anything, with
/// exit code 2 and a message naming the key and the reason.
@Suite(.serialized)
struct BadConfigurationTests {
    struct Case: Sendable, CustomStringConvertible {
        var yaml: String
        var environment: [String: String] = [:]
        var expected: [String]
        var description: String { expected.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(yaml: "fetch:\n  concurency: 4\n", expected: ["fetch.concurency", "unknown key"]),
        Case(yaml: "fetcher:\n  concurrency: 4\n", expected: ["fetcher", "unknown section"]),
        Case(yaml: "fetch:\n  concurrency: lots\n", expected: ["fetch.concurrency", "integer"]),
        Case(yaml: "fetch:\n  concurrency: 0\n", expected: ["fetch.concurrency", "greater than 0"]),
        Case(yaml: "thumbnails:\n  widths: 320\n", expected: ["thumbnails.widths", "list of integers"]),
        Case(yaml: "thumbnails:\n  quality: 101\n", expected: ["thumbnails.quality", "between 1 and 100"]),
        Case(yaml: "fetch: [\n", expected: ["not valid YAML"]),
        Case(yaml: "health:\n  listen: nowhere\n", expected: ["health.listen", "host:port"]),
        Case(yaml: "daemon:\n  watch: maybe\n", expected: ["daemon.watch", "true or false"]),
        Case(yaml: "site:\n  posts: no/such/dir\n", expected: ["site.posts", "does not exist"]),
        Case(yaml: "site:\n  posts: mediamirror.yaml\n", expected: ["site.posts", "is not a directory"]),
        Case(yaml: "fetch:\n  ca_bundle: /no/such.pem\n", expected: ["fetch.ca_bundle", "cannot be read"]),
        Case(yaml: "", environment: ["MEDIAMIRROR_FETCH_PER_HOST": "four"], expected: ["fetch.per_host", "integer"]),
        Case(
            yaml: "rewrite:\n  variants: ['thumbnail=100']\n", expected: ["rewrite.variants", "thumbnails.widths"]),
        Case(
            yaml: "fetch:\n  host_rules: ['img.test | referer: sometimes']\n",
            expected: ["fetch.host_rules", "referer must be none, origin, site"]),
    ]

    @Test(arguments: cases)
    func stopsWithExitTwoNamingTheKey(_ badCase: Case) throws {
        let site = try TestSite("mediamirror-badconfig", configuration: badCase.yaml)
        defer { site.remove() }
        let post = site.posts.appendingPathComponent("a.md")
        let original = Data("![a](http://img.test/a.jpg)\n".utf8)
        try original.write(to: post)
        var environment = ProcessRunner.environment(proxiedThrough: site.origin)
        environment.merge(badCase.environment) { _, new in new }
        for command in ["sync", "daemon"] {
            let run = try ProcessRunner.run(
                Paths.executable, [command, "--config", site.config.path], environment: environment)
            #expect(run.status == 2, "\(command): \(run.stderr)")
            for fragment in badCase.expected {
                #expect(run.stderr.contains(fragment), "\(command): \(run.stderr)")
            }
        }
        #expect(try Data(contentsOf: post) == original)
        #expect(!FileManager.default.fileExists(atPath: site.directory.appending("site/.mediamirror").path))
        #expect(site.origin.requests().isEmpty)
    }

    @Test func aMissingConfigurationFileIsNamed() throws {
        let run = try ProcessRunner.run(Paths.executable, ["sync", "--config", "/no/such/mediamirror.yaml"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("/no/such/mediamirror.yaml"), "\(run.stderr)")
        #expect(run.stderr.contains("cannot read"), "\(run.stderr)")
    }
}
