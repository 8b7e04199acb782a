import Foundation

/// `mediamirror daemon` as a real child process: its stderr goes to a file (whose device and
/// inode are given as JOURNAL_STREAM, as systemd does, so the journal log format is used).
public final class DaemonProcess: @unchecked Sendable {
    public let process = Process()
    public let logFile: URL

    /// `launcher`: a program and its arguments that run the daemon command (setpriv, to run it
    /// as another user).
    public init(config: URL, environment: [String: String], logFile: URL, launcher: [String] = []) throws {
        self.logFile = logFile
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        var status = stat()
        fstat(handle.fileDescriptor, &status)
        var environment = environment
        environment["JOURNAL_STREAM"] = "\(status.st_dev):\(status.st_ino)"
        let command = ["daemon", "--config", config.path, "--log-level", "info"]
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [Paths.executable.path] + command
        } else {
            process.executableURL = Paths.executable
            process.arguments = command
        }
        process.environment = environment
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    public var pid: Int32 { process.processIdentifier }

    public func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits up to `timeout` for the process to end (blocking, so busy test workers cannot
    /// stretch the measured time); its exit status, or nil if it still runs.
    public func waitForExit(timeout: Duration) -> Int32? {
        _ = waitUntil(within: timeout) { !process.isRunning }
        return process.isRunning ? nil : process.terminationStatus
    }

    public var log: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }
}
