import Foundation

/// Why the daemon cannot run: one line naming the cause, and the errno systemd is told
/// (`ERRNO=`) where one fits. The process then exits with status 3.
public struct StartFailure: Error, CustomStringConvertible, Sendable {
    public var description: String
    public var errno: Int32?

    public init(_ description: String, errno: Int32? = nil) {
        self.description = description
        self.errno = errno
    }
}
