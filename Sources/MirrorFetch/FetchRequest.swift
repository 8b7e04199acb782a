/// One HTTP exchange: by default a download (GET) whose body streams into an open file; also
/// the HEAD, PUT and DELETE an object store takes.
public struct FetchRequest: Sendable {
    public var url: String
    /// Extra request headers, `Name: value`.
    public var headers: [String]
    /// An open descriptor, readable and writable (the body hasher reads back what was written);
    /// the body is written from offset 0 (the file is truncated
    /// first, so a retry starts clean). It is not fsynced: a caller keeping the file makes it
    /// durable on its own thread (an fsync on the transfer thread would stall every transfer).
    /// A request whose body is not wanted (`method` other than GET) may pass -1.
    public var descriptor: Int32
    public var method: HTTPMethod
    /// What a PUT sends.
    public var upload: UploadBody?
    /// Keeps the response headers (`FetchResponse.headers`) and the first bytes of an error
    /// answer's body (`FetchFailure.responseBody`): an object store explains itself there.
    public var keepsResponseDetails: Bool

    public init(
        url: String, headers: [String] = [], descriptor: Int32, method: HTTPMethod = .get, upload: UploadBody? = nil,
        keepsResponseDetails: Bool = false
    ) {
        self.url = url
        self.headers = headers
        self.descriptor = descriptor
        self.method = method
        self.upload = upload
        self.keepsResponseDetails = keepsResponseDetails
    }
}
