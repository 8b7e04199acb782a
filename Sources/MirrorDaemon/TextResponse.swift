import Hummingbird

/// A text body with a status and content type of our choosing.
struct TextResponse: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var contentType = "text/plain; charset=utf-8"
    var text: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = text.response(from: request, context: context)
        response.status = status
        response.headers[.contentType] = contentType
        return response
    }
}
