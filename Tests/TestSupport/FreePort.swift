import Foundation

/// A TCP port on 127.0.0.1 that was free a moment ago (listened on, read back, released).
public enum FreePort {
    public static func next() -> Int {
        guard let socket = try? ListeningSocket() else { return 0 }
        defer { socket.close() }
        return socket.port
    }
}
