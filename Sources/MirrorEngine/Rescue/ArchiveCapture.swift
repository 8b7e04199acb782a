/// Where an archive keeps a copy of an image: the URL that serves the capture's raw bytes and
/// when it was captured.
struct ArchiveCapture: Sendable, Equatable {
    /// The capture's raw bytes (a Wayback `id_` URL, or a Memento URL).
    var url: String
    /// Seconds since the epoch, when the archive said.
    var capturedAt: Double?
}
