import Foundation

/// Checks that `health.listen` can be bound before anything starts, so a port already in use is
/// a start failure with its cause rather than a server that never comes up. (The server binds
/// again itself; a race with another process in between still fails the start, less clearly.)
enum ListenCheck {
    /// `host:port` or `[v6]:port`; an empty host is 127.0.0.1.
    static func address(_ listen: String) throws(StartFailure) -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw StartFailure("health.listen: '\(listen)' is not host:port", errno: EINVAL)
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }

    /// Binds and releases every address `host` resolves to, as the server will.
    static func check(host: String, port: Int) throws(StartFailure) {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            let reason = String(cString: gai_strerror(resolved))
            throw StartFailure("health.listen \(host):\(port): cannot resolve \(host): \(reason)", errno: EINVAL)
        }
        defer { freeaddrinfo(first) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            let info = current.pointee
            let descriptor = socket(info.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if descriptor >= 0 {
                defer { close(descriptor) }
                // As the server does: a port held only by TIME_WAIT connections is free.
                var on: Int32 = 1
                _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
                if bind(descriptor, info.ai_addr, info.ai_addrlen) != 0 {
                    let error = Foundation.errno
                    throw StartFailure(
                        "health.listen \(host):\(port): \(String(cString: strerror(error)))"
                            + (error == EADDRINUSE ? " (another process is listening there)" : ""),
                        errno: error)
                }
            }
            entry = info.ai_next
        }
    }
}
