/// `state.*`: where the manifest lives.
public struct StateSettings: Sendable, Equatable {
    /// Absolute path of the SQLite manifest.
    public var database: String

    public init(database: String) {
        self.database = database
    }
}
