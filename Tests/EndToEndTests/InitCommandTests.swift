import Foundation
import TestSupport
import Testing

/// `mediamirror init` on scratch sites of each generator (their own configuration files and a
/// post, made here), on a folder that is no site, and where a configuration already exists.
@Suite(.serialized)
struct InitCommandTests {
    struct Case: Sendable, CustomStringConvertible {
        var generator: String
        /// Relative path → contents.
        var files: [String: String]
        /// Lines the written configuration must hold.
        var expected: [String]
        var description: String { generator }
    }

    static let post =
        "---\ntitle: A post\nthumbnail: http://photos.example/a.jpg\n---\n![a](http://photos.example/b.jpg)\n"

    static let cases: [Case] = [
        Case(
            generator: "hexo",
            files: [
                "_config.yml": "title: Blog\nurl: https://example.org/blog\nroot: /blog/\nsource_dir: src\n",
                "package.json": "{\"name\": \"blog\", \"dependencies\": {\"hexo\": \"^7.0.0\"}}\n",
                "src/_posts/a-post.md": post,
            ],
            expected: [
                "generator: hexo", "posts: \"src/_posts\"", "media: \"src/images/mirror\"",
                "url_prefix: \"/blog/images/mirror\"", "base_url: \"https://example.org/blog\"",
            ]),
        Case(
            generator: "hugo",
            files: [
                "hugo.toml":
                    "baseURL = 'https://example.org/notes/'\ntitle = \"Notes\"\nstaticDir = \"assets-static\"\n",
                "content/posts/a-post.md": post,
            ],
            expected: [
                "generator: hugo", "posts: \"content\"", "media: \"assets-static/images/mirror\"",
                "url_prefix: \"/notes/images/mirror\"",
            ]),
        Case(
            generator: "jekyll",
            files: ["_config.yml": "title: Site\nbaseurl: /site\n", "_posts/2024-01-01-a-post.md": post],
            expected: [
                "generator: jekyll", "posts: \"_posts\"", "media: \"assets/images/mirror\"",
                "url_prefix: \"/site/assets/images/mirror\"",
            ]),
        Case(
            generator: "eleventy",
            files: ["eleventy.config.js": "export default function (config) {}\n", "content/blog/a-post.md": post],
            expected: ["generator: eleventy", "posts: \"content/blog\"", "media: \"public/images/mirror\""]),
    ]

    func initialise(_ directory: URL) throws -> ProcessRunner.Result {
        try ProcessRunner.run(Paths.executable, ["init", directory.path])
    }

    @Test(arguments: cases) func detectsTheGeneratorAndWritesAWorkingConfiguration(_ site: Case) throws {
        let directory = try TemporaryDirectory("mediamirror-init-\(site.generator)")
        defer { directory.remove() }
        for (path, contents) in site.files {
            let file = directory.appending(path)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: file)
        }
        let result = try initialise(directory.url)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.hasPrefix("\(site.generator) site at "), "\(result.stdout)")
        #expect(result.stdout.contains("next: mediamirror sync --dry-run --config "), "\(result.stdout)")
        let written = try String(contentsOf: directory.appending("mediamirror.yaml"), encoding: .utf8)
        for line in site.expected {
            #expect(written.contains(line), "\(site.generator): '\(line)' missing in\n\(written)")
        }
        // The configuration is valid and finds the post's images.
        let dryRun = try ProcessRunner.run(
            Paths.executable, ["sync", "--dry-run", "--json", "--config", directory.appending("mediamirror.yaml").path])
        #expect(dryRun.status == 0 || dryRun.status == 1, "\(dryRun.stdout) \(dryRun.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(dryRun.stdout.utf8)) as? [String: Any]
        #expect(summary?["posts_scanned"] as? Int == 1, "\(dryRun.stdout)")
        #expect(summary?["references"] as? Int == 2, "\(dryRun.stdout)")
    }

    @Test func aFolderThatIsNoSiteIsRefused() throws {
        let directory = try TemporaryDirectory("mediamirror-init-none")
        defer { directory.remove() }
        try Data("notes\n".utf8).write(to: directory.appending("README.txt"))
        let result = try initialise(directory.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("is no site mediamirror knows"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appending("mediamirror.yaml").path))
        let missing = try initialise(directory.appending("no-such-folder"))
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("is not a directory"), "\(missing.stderr)")
    }

    @Test func anExistingConfigurationIsNeverOverwritten() throws {
        let directory = try TemporaryDirectory("mediamirror-init-exists")
        defer { directory.remove() }
        try Data("title: Site\n".utf8).write(to: directory.appending("_config.yml"))
        try FileManager.default.createDirectory(at: directory.appending("_posts"), withIntermediateDirectories: true)
        let mine = "site:\n  posts: _posts\n# my own settings\n"
        try Data(mine.utf8).write(to: directory.appending("mediamirror.yaml"))
        let result = try initialise(directory.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("exists and is left as it is"), "\(result.stderr)")
        #expect(try String(contentsOf: directory.appending("mediamirror.yaml"), encoding: .utf8) == mine)
    }
}
