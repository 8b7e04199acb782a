import Foundation

/// A file `gc` may consider: its path, size and when it was stored.
struct InventoryItem: Sendable {
    var path: String
    var bytes: Int
    var stored: Date
}
