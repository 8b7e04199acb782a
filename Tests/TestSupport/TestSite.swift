import Foundation

/// A scratch blog for end-to-end tests: `site/source/_posts`, `site/mediamirror.yaml` and an
/// origin serving `origin/<host>/<path>`. Call `remove()` when done.
public struct TestSite: Sendable {
    public let directory: TemporaryDirectory
    public let posts: URL
    public let config: URL
    public let origin: OriginServer

    public init(_ label: String, configuration: String) throws {
        directory = try TemporaryDirectory(label)
        posts = directory.appending("site/source/_posts")
        try FileManager.default.createDirectory(at: posts, withIntermediateDirectories: true)
        let originRoot = directory.appending("origin")
        try FileManager.default.createDirectory(at: originRoot, withIntermediateDirectories: true)
        origin = try OriginServer(root: originRoot)
        config = directory.appending("site/mediamirror.yaml")
        try configuration.write(to: config, atomically: true, encoding: .utf8)
    }

    public var media: URL { directory.appending("site/source/images/mirror") }

    /// Runs `mediamirror ARGUMENTS --config <this site's>` with the origin as the HTTP proxy.
    public func run(_ arguments: [String]) throws -> ProcessRunner.Result {
        try ProcessRunner.run(
            Paths.executable, arguments + ["--config", config.path],
            environment: ProcessRunner.environment(proxiedThrough: origin))
    }

    public func remove() {
        origin.stop()
        directory.remove()
    }
}
