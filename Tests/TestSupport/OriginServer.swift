import Foundation

/// The test origin (`Tests/Origin/origin.py`) as a child process on 127.0.0.1: serves
/// `<root>/<host>/<path>` directly or as an HTTP proxy, logging each request.
public final class OriginServer: @unchecked Sendable {
    public let root: URL
    public let port: Int
    public let logFile: URL
    private let process: Process

    /// `arguments`: more of origin.py's options (`--faults SEED`, `--fallback DIR`).
    public convenience init(root: URL, arguments: [String] = []) throws {
        try self.init(script: Paths.origin, root: root, arguments: arguments)
    }

    /// Another server script with the same conventions (`--root`, `--log`, "PORT <n>"), such as
    /// `Tests/Origin/archive.py`.
    public init(script: URL, root: URL, arguments: [String] = []) throws {
        self.root = root
        logFile = root.deletingLastPathComponent().appendingPathComponent("origin-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--root", root.path, "--log", logFile.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The server prints "PORT <n>" once it listens.
        var line = Data()
        let handle = output.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw OriginError(message: "origin did not start: '\(text)'")
        }
        self.port = port
    }

    deinit {
        stop()
    }

    public func stop() {
        process.killAndWait()
    }

    /// `http://127.0.0.1:<port>`, for `http_proxy` or direct requests.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Lines logged so far: `GET <url> <status>`.
    public func requests() -> [String] {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// Each request logged so far with the time it was answered (seconds since the epoch).
    public func timedRequests() -> [(time: Double, line: String)] {
        let path = logFile.path + ".times"
        let text = (try? String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { entry in
            guard let space = entry.firstIndex(of: " "), let time = Double(entry[..<space]) else { return nil }
            return (time, String(entry[entry.index(after: space)...]))
        }
    }

    /// Places a file the origin serves for `http://<host>/<path>`.
    public func serve(_ bytes: [UInt8], host: String, path: String) throws {
        let file = root.appendingPathComponent(host).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
    }

    public struct OriginError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
