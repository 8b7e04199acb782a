import Foundation
import Synchronization

/// A datagram socket standing in for systemd's notify socket: every message the daemon sends
/// is kept with the time it arrived, received on a thread of its own so busy test workers
/// cannot skew the timing.
public final class NotifySocket: Sendable {
    public struct Message: Sendable {
        public var text: String
        public var arrived: ContinuousClock.Instant
    }

    public let path: String
    private let descriptor: Int32
    private let messages = Mutex<[Message]>([])
    private let closed = Atomic<Bool>(false)

    public init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError(reason: "socket: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw SocketError(reason: "path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            close(descriptor)
            throw SocketError(reason: "bind \(path): \(errno)")
        }
        // A receive timeout lets the thread notice `stop`.
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in receive() }
        thread.start()
    }

    deinit {
        stop()
    }

    public func stop() {
        if !closed.exchange(true, ordering: .acquiringAndReleasing) {
            usleep(150_000)
            close(descriptor)
            unlink(path)
        }
    }

    public var received: [Message] {
        messages.withLock { $0 }
    }

    /// Messages containing `field` (e.g. "READY=1"), in order.
    public func messages(containing field: String) -> [Message] {
        received.filter { $0.text.split(separator: "\n").contains { $0 == field } }
    }

    private func receive() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !closed.load(ordering: .acquiring) {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { continue }
            let message = Message(
                text: String(decoding: buffer[0..<count], as: UTF8.self), arrived: ContinuousClock.now)
            messages.withLock { $0.append(message) }
        }
    }

    public struct SocketError: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }
}
