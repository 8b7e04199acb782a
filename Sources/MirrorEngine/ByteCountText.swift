import Foundation

/// A byte count as people read it (B, KiB, MiB), for summaries and the report page.
public enum ByteCountText {
    public static func of(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        if count < 1024 * 1024 { return String(format: "%.1f KiB", Double(count) / 1024) }
        return String(format: "%.1f MiB", Double(count) / 1024 / 1024)
    }
}
