import Foundation
import MirrorEngine

/// Free space and writability of the media directory, for readiness and the status page.
struct DiskSpace: Sendable, Codable, Equatable {
    var directory: String
    @NullWhenAbsent var freeBytes: Int?
    var writable: Bool

    static func of(_ directory: String) -> DiskSpace {
        var stats = statvfs()
        let free = statvfs(directory, &stats) == 0 ? Int(stats.f_bavail) * Int(stats.f_frsize) : nil
        return DiskSpace(directory: directory, freeBytes: free, writable: access(directory, W_OK) == 0)
    }
}
