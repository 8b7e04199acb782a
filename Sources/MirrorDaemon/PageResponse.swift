import HTTPTypes
import Hummingbird

/// A page or a stored file, with the headers that keep it inert: its own
/// `Content-Security-Policy`, no MIME sniffing, no referrer, no framing.
struct PageResponse: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var contentType: String
    var body: [UInt8]
    var contentSecurityPolicy: String
    var cacheControl = "no-store"

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.cacheControl] = cacheControl
        if let referrer = HTTPField.Name("Referrer-Policy") { headers[referrer] = "no-referrer" }
        if let frames = HTTPField.Name("X-Frame-Options") { headers[frames] = "DENY" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
