import Foundation
import MirrorConfig
import TestSupport
import Testing

struct ConfigurationLoaderTests {
    func write(_ text: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.appending("mediamirror.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func documentedExampleLoadsWithItsDefaults() async throws {
        let path = Paths.repository.appendingPathComponent("config/mediamirror.yaml").path
        let configuration = try await ConfigurationLoader(environment: [:]).load(path: path)
        let directory = Paths.repository.appendingPathComponent("config").path
        #expect(configuration.site.posts == directory + "/source/_posts")
        #expect(configuration.site.media == directory + "/source/images/mirror")
        #expect(configuration.site.urlPrefix == "/images/mirror")
        #expect(configuration.state.database == directory + "/.mediamirror/manifest.sqlite")
        #expect(configuration.scan.frontMatterKeys.contains("headimg"))
        #expect(configuration.scan.unwrap == ["https://cors.zfour.workers.dev/?"])
        #expect(configuration.fetch.concurrency == 16)
        #expect(configuration.fetch.perHost == 4)
        #expect(configuration.fetch.maxBytes == 52_428_800)
        #expect(configuration.fetch.allowNetworks.isEmpty)
        #expect(configuration.thumbnails.widths == [320, 640])
        #expect(configuration.thumbnails.quality == 82)
        #expect(configuration.rewrite.fixDimensions == false)
        #expect(configuration.health.listen == "127.0.0.1:9464")
        #expect(configuration.daemon == DaemonSettings())
    }

    @Test func daemonSettingsAreReadAndChecked() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try write(
            "daemon:\n  rescan_interval: 60\n  debounce_ms: 0\n  watch: false\n  stop_timeout: 2\n", in: directory)
        let configuration = try await ConfigurationLoader(environment: ["MEDIAMIRROR_DAEMON_MIN_FREE_BYTES": "5"])
            .load(path: path)
        #expect(
            configuration.daemon
                == DaemonSettings(
                    rescanInterval: 60, debounceMilliseconds: 0, watch: false, minFreeBytes: 5, stopTimeout: 2))
        for (text, key) in [
            ("daemon:\n  rescan_interval: 0\n", "daemon.rescan_interval"),
            ("daemon:\n  debounce_ms: -1\n", "daemon.debounce_ms"),
            ("daemon:\n  watch: sometimes\n", "daemon.watch"),
            ("daemon:\n  rescan: 5\n", "daemon.rescan"),
        ] {
            let bad = try write(text, in: directory)
            await #expect {
                try await ConfigurationLoader(environment: [:]).load(path: bad)
            } throws: { error in
                (error as? ConfigurationError)?.key == key
            }
        }
    }

    @Test func storageSettingsAreReadNestedAndChecked() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try write(
            """
            storage:
              backend: s3
              s3:
                endpoint: https://s3.eu-west-1.amazonaws.com
                bucket: media
                prefix: /blog/
                region: eu-west-1
                credentials_file: keys.ini
                profile: blog
            thumbnails:
              formats: [avif, jpeg]
              avif_quality: 55
              avif_speed: 6
              animated: true
              max_frames: 120
            """, in: directory)
        let configuration = try await ConfigurationLoader(environment: ["MEDIAMIRROR_STORAGE_S3_CONCURRENCY": "3"])
            .load(path: path)
        let s3 = configuration.storage.s3
        #expect(configuration.storage.backend == .s3)
        #expect(s3.bucket == "media" && s3.prefix == "blog" && s3.region == "eu-west-1" && s3.profile == "blog")
        // AWS's own endpoint: virtual-hosted addressing unless told otherwise.
        #expect(s3.pathStyle == false)
        #expect(s3.credentialsFile == directory.appending("keys.ini").path)
        #expect(s3.concurrency == 3)
        #expect(s3.cacheControl == "public, max-age=31536000, immutable")
        #expect(s3.key(of: "ab/x.jpg") == "blog/ab/x.jpg")
        #expect(configuration.thumbnails.formats == ["avif", "jpeg"])
        #expect(configuration.thumbnails.avifQuality == 55 && configuration.thumbnails.avifSpeed == 6)
        #expect(configuration.thumbnails.animated && configuration.thumbnails.maxFrames == 120)
        #expect(configuration.thumbnails.maxAnimationPixels == 500_000_000)
        for (text, key) in [
            ("storage:\n  backend: ftp\n", "storage.backend"),
            ("storage:\n  backend: s3\n  s3:\n    bucket: b\n", "storage.s3.endpoint"),
            ("storage:\n  backend: s3\n  s3:\n    endpoint: http://127.0.0.1:9000\n", "storage.s3.bucket"),
            ("storage:\n  s3:\n    secret: x\n", "storage.s3.secret"),
            ("storage:\n  s3:\n    concurrency: 0\n", "storage.s3.concurrency"),
            ("thumbnails:\n  avif_speed: 11\n", "thumbnails.avif_speed"),
            ("thumbnails:\n  avif_quality: 0\n", "thumbnails.avif_quality"),
            ("thumbnails:\n  max_frames: 0\n", "thumbnails.max_frames"),
        ] {
            let bad = try write(text, in: directory)
            await #expect {
                try await ConfigurationLoader(environment: [:]).load(path: bad)
            } throws: { error in
                (error as? ConfigurationError)?.key == key
            }
        }
    }

    @Test func emptyFileMeansDefaults() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try write("", in: directory)
        let configuration = try await ConfigurationLoader(environment: [:]).load(path: path)
        #expect(configuration.fetch.concurrency == 16)
        #expect(configuration.site.posts == directory.path + "/source/_posts")
    }

    @Test func environmentOverridesTheFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try write("fetch:\n  concurrency: 8\n  per_host: 2\nsite:\n  posts: /srv/posts\n", in: directory)
        let environment = [
            "MEDIAMIRROR_FETCH_CONCURRENCY": "4",
            "MEDIAMIRROR_THUMBNAILS_WIDTHS": "100,200",
            "MEDIAMIRROR_REWRITE_FIX_DIMENSIONS": "true",
            "FETCH_PER_HOST": "99",  // not prefixed: ignored
        ]
        let configuration = try await ConfigurationLoader(environment: environment).load(path: path)
        #expect(configuration.fetch.concurrency == 4)
        #expect(configuration.fetch.perHost == 2)
        #expect(configuration.thumbnails.widths == [100, 200])
        #expect(configuration.rewrite.fixDimensions)
        #expect(configuration.site.posts == "/srv/posts")
    }

    @Test(arguments: [
        ("fetch:\n  concurrency: lots\n", "fetch.concurrency"),
        ("fetch:\n  concurency: 4\n", "fetch.concurency"),
        ("fetchh:\n  concurrency: 4\n", "fetchh"),
        ("thumbnails:\n  widths: 320\n", "thumbnails.widths"),
        ("thumbnails:\n  quality: 101\n", "thumbnails.quality"),
        ("thumbnails:\n  format: webp\n", "thumbnails.format"),
        ("rewrite:\n  provenance_attribute: src\n", "rewrite.provenance_attribute"),
        ("fetch:\n  per_host: 0\n", "fetch.per_host"),
        ("site:\n  url_prefix: images\n", "site.url_prefix"),
        ("scan:\n  unwrap: [ftp://x/?]\n", "scan.unwrap"),
        ("health:\n  listen: nowhere\n", "health.listen"),
        ("site: [1, 2]\n", "site"),
    ])
    func badValuesNameTheKey(text: String, key: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try write(text, in: directory)
        let error = await #expect(throws: ConfigurationError.self) {
            try await ConfigurationLoader(environment: [:]).load(path: path)
        }
        #expect(error?.key == key)
    }

    @Test func badEnvironmentValueNamesTheKey() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try write("", in: directory)
        let error = await #expect(throws: ConfigurationError.self) {
            try await ConfigurationLoader(environment: ["MEDIAMIRROR_FETCH_MAX_BYTES": "big"]).load(path: path)
        }
        #expect(error?.key == "fetch.max_bytes")
    }

    @Test func missingAndBrokenFilesAreClearErrors() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = await #expect(throws: ConfigurationError.self) {
            try await ConfigurationLoader(environment: [:]).load(path: directory.path + "/absent.yaml")
        }
        #expect(missing?.description.contains("cannot read") == true)
        let path = try write("site: [unclosed\n", in: directory)
        let broken = await #expect(throws: ConfigurationError.self) {
            try await ConfigurationLoader(environment: [:]).load(path: path)
        }
        #expect(broken?.description.contains("YAML") == true)
    }
}
