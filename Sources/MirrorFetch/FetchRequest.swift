/// One download: the URL, extra headers, and the open file the body streams into.
public struct FetchRequest: Sendable {
    public var url: String
    /// Extra request headers, `Name: value`.
    public var headers: [String]
    /// An open descriptor, readable and writable (the body hasher reads back what was written);
    /// the body is written from offset 0 (the file is truncated
    /// first, so a retry starts clean). It is not fsynced: a caller keeping the file makes it
    /// durable on its own thread (an fsync on the transfer thread would stall every transfer).
    public var descriptor: Int32

    public init(url: String, headers: [String] = [], descriptor: Int32) {
        self.url = url
        self.headers = headers
        self.descriptor = descriptor
    }
}
