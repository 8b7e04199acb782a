import Foundation
import MirrorBucket
import MirrorPosts
import TestSupport

/// A copy of the bundled example site (or of `../shared/samples`) whose store is a bucket on a
/// real S3 server started for the test, its images served by the test origin through
/// `http_proxy`, and the bucket's keys in the environment as the standard `AWS_*` variables.
struct BucketSite {
    let directory: TemporaryDirectory
    let posts: URL
    let config: URL
    let origin: OriginServer
    let server: S3Server
    /// The fault proxy in front of the server, when the site talks through one.
    let proxy: OriginServer?
    let bucket: String
    let prefix: String
    /// Whether `remove` stops the server (not when the test shares one between sites).
    let ownsServer: Bool
    static let urlPrefix = "https://cdn.example.net/media"

    init(
        _ kind: S3Server.Kind, corpus: Bool = false, prefix: String = "blog", bucket: String = "media",
        server shared: S3Server? = nil, proxyArguments: [String]? = nil, extraConfiguration: String = ""
    ) async throws {
        directory = try TemporaryDirectory("mediamirror-bucket")
        let site = directory.appending("site")
        posts = site.appendingPathComponent("source/_posts")
        let originRoot: URL
        if corpus {
            try FileManager.default.createDirectory(
                at: posts.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Paths.shared.appendingPathComponent("samples"), to: posts)
            chmod(posts.path, 0o755)
            for relative in FileManager.default.subpaths(atPath: posts.path) ?? [] {
                chmod(posts.appendingPathComponent(relative).path, 0o755)
            }
            originRoot = directory.appending("origin")
            try FileManager.default.createDirectory(at: originRoot, withIntermediateDirectories: true)
        } else {
            try FileManager.default.copyItem(
                at: Paths.repository.appendingPathComponent("example/site"), to: site)
            // A copy: the origin writes its log beside its root, which must not be the checkout.
            originRoot = directory.appending("origin")
            try FileManager.default.copyItem(
                at: Paths.repository.appendingPathComponent("example/origin"), to: originRoot)
        }
        origin = try OriginServer(root: originRoot)
        server = try shared ?? S3Server(kind, directory: directory.appending("s3"))
        ownsServer = shared == nil
        if let proxyArguments {
            proxy = try OriginServer(
                script: Paths.s3Faults, root: directory.url,
                arguments: ["--upstream", server.endpoint] + proxyArguments)
        } else {
            proxy = nil
        }
        self.bucket = bucket
        self.prefix = prefix
        config = site.appendingPathComponent("mediamirror.yaml")
        let endpoint = proxy?.baseURL ?? server.endpoint
        try """
        site:
          posts: source/_posts
          media: source/images/mirror
          url_prefix: \(Self.urlPrefix)
          base_url: http://blog.example.net/
        state:
          database: .mediamirror/manifest.sqlite
        scan:
          unwrap: ["https://cors.zfour.workers.dev/?"]
        fetch:
          concurrency: 8
          per_host: 4
          attempts: 1
          connect_timeout: 5
        thumbnails:
          widths: [320]
        storage:
          backend: s3
          s3:
            endpoint: \(endpoint)
            bucket: \(bucket)
            prefix: \(prefix)
            region: us-east-1
        \(extraConfiguration)
        """.write(to: config, atomically: true, encoding: .utf8)
        let client = try bucketClient()
        defer { client.shutdown() }
        try await client.createBucket()
    }

    /// Serves a small JPEG of its own for every http image URL the posts name (https ones fail:
    /// the test proxy speaks plain HTTP), so each is an object of its own; returns how many.
    func serveEveryHTTPImage() throws -> Int {
        var served = 0
        for (relative, data) in try postBytes() {
            let references = CorpusSite.scanner.scan([UInt8](data), isMarkdown: CorpusSite.isMarkdown(relative))
                .references
            for reference in references {
                guard let url = reference.target?.url, url.hasPrefix("http://"),
                    let components = URLComponents(string: url), let host = components.host, !components.path.isEmpty,
                    !components.path.hasSuffix("/")
                else { continue }
                let picture = try TestImages.jpeg(width: 48, height: 32, seed: served + 1)
                if (try? origin.serve(picture, host: host, path: String(components.path.dropFirst()))) != nil {
                    served += 1
                }
            }
        }
        return served
    }

    /// A client straight to the server (no fault proxy), for checking what the bucket holds.
    func bucketClient(bucket name: String? = nil) throws -> BucketClient {
        try BucketClient(
            address: BucketAddress(
                endpoint: server.endpoint, bucket: name ?? bucket, region: "us-east-1", pathStyle: true),
            credentials: BucketCredentials(accessKeyID: S3Server.accessKey, secretAccessKey: S3Server.secretKey),
            attempts: 3, baseDelay: 0.05)
    }

    /// The environment of a run: the origin as proxy, the bucket's keys as `AWS_*`.
    func environment(secret: String = S3Server.secretKey) -> [String: String] {
        var environment = ProcessRunner.environment(proxiedThrough: origin)
        environment["AWS_ACCESS_KEY_ID"] = S3Server.accessKey
        environment["AWS_SECRET_ACCESS_KEY"] = secret
        environment.removeValue(forKey: "AWS_SESSION_TOKEN")
        return environment
    }

    func run(_ arguments: [String], secret: String = S3Server.secretKey) throws -> ProcessRunner.Result {
        try ProcessRunner.run(
            Paths.executable, arguments + ["--config", config.path], environment: environment(secret: secret))
    }

    /// Post path → bytes, for every post file.
    func postBytes() throws -> [String: Data] {
        var result: [String: Data] = [:]
        for relative in CorpusSite.postFiles(under: posts) {
            result[relative] = try Data(contentsOf: posts.appendingPathComponent(relative))
        }
        return result
    }

    /// Every value in the posts that points into the bucket's public prefix, as object keys.
    func keysPointedAt() throws -> Set<String> {
        var keys: Set<String> = []
        for (_, data) in try postBytes() {
            let text = String(decoding: data, as: UTF8.self)
            var rest = text[...]
            while let range = rest.range(of: Self.urlPrefix + "/") {
                let tail = rest[range.upperBound...]
                let end = tail.firstIndex { "\"' )\n<>,".contains($0) } ?? tail.endIndex
                keys.insert("\(prefix)/\(tail[..<end])")
                rest = tail[end...]
            }
        }
        return keys
    }

    func remove() {
        proxy?.stop()
        origin.stop()
        if ownsServer { server.stop() }
        directory.remove()
    }
}
