import HTTPTypes
import Hummingbird

/// Puts `HealthAccess` in front of every route: a protected path without credentials is 401;
/// `/?token=` with the right token sets the session cookie (`HttpOnly`, `SameSite=Strict`) and
/// sends the browser to `/`, so the token leaves the address bar.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: HealthAccess

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard access.isProtected(path: path) else { return try await next(request, context) }
        if path == "/", let candidate = request.uri.queryParameters.get("token") {
            guard access.matchesToken(candidate), let session = access.sessionValue else { return Self.refusal }
            var headers = HTTPFields()
            headers[.location] = "/"
            headers[.setCookie] = "\(HealthAccess.cookieName)=\(session); Path=/; HttpOnly; SameSite=Strict"
            headers[.cacheControl] = "no-store"
            if let referrer = HTTPField.Name("Referrer-Policy") { headers[referrer] = "no-referrer" }
            return Response(status: .seeOther, headers: headers)
        }
        guard access.isAuthorized(authorization: request.headers[.authorization], cookie: request.headers[.cookie])
        else { return Self.refusal }
        return try await next(request, context)
    }

    static var refusal: Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Bearer realm=\"mediamirror\""
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(
            status: .unauthorized, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: "a token is needed: Authorization: Bearer, or visit /?token=\n"))
        )
    }
}
