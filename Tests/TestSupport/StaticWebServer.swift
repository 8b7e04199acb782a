import Foundation

/// Python's `http.server` serving a folder on 127.0.0.1, as a static host serves a built site.
public final class StaticWebServer: @unchecked Sendable {
    public let port: Int
    private let process: Process

    public init(root: URL) throws {
        port = FreePort.next()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-u", "-m", "http.server", "\(port)", "--bind", "127.0.0.1", "--directory", root.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // It prints "Serving HTTP on …" once it listens.
        var text = ""
        let handle = output.fileHandleForReading
        while !text.contains("Serving HTTP") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard text.contains("Serving HTTP") else {
            process.killAndWait()
            throw OriginServer.OriginError(message: "python3 -m http.server did not start on port \(port): \(text)")
        }
    }

    deinit {
        stop()
    }

    public func stop() {
        process.killAndWait()
    }
}
