import Crypto
import Foundation
import MirrorConfig
import MirrorFetch

/// Who may read what the daemon's endpoints reveal (post paths, image URLs, the configuration).
/// With `health.token_file` set, `/`, `/status` and `/media/` — and `/metrics` with
/// `health.protect_metrics` — ask for the token as `Authorization: Bearer`, or for the session
/// cookie a `/?token=` visit sets; `/healthz` and `/readyz` stay open for probes. Without a
/// token only a loopback `health.listen` is served, unless `health.public` says otherwise.
public struct HealthAccess: Sendable {
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    static let cookieName = "mediamirror_session"
    static let minimumTokenLength = 16

    let token: [UInt8]?
    let protectMetrics: Bool

    public init(settings: HealthSettings) throws(Refusal) {
        protectMetrics = settings.protectMetrics
        guard let file = settings.tokenFile else {
            guard settings.isLoopback || settings.isPublic else {
                throw Refusal(
                    description: "health.listen \(settings.listen) is reachable from other machines and "
                        + "health.token_file is not set: set a token file, or health.public: true to show "
                        + "/status and the dashboard to anyone on purpose")
            }
            token = nil
            return
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw Refusal(description: "health.token_file: cannot read \(file)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count >= Self.minimumTokenLength, !text.contains(where: \.isWhitespace) else {
            throw Refusal(
                description: "health.token_file: \(file) must hold one token of at least "
                    + "\(Self.minimumTokenLength) characters without spaces")
        }
        token = Array(text.utf8)
    }

    /// Whether `path` needs credentials.
    func isProtected(path: String) -> Bool {
        guard token != nil else { return false }
        switch path {
        case "/healthz", "/readyz": return false
        case "/metrics": return protectMetrics
        default: return true
        }
    }

    /// The session cookie's value: derived from the token, so the cookie never is the token.
    var sessionValue: String? {
        token.map { SHA256.hash(data: $0 + Array(" mediamirror session".utf8)).lowercaseHex }
    }

    func matchesToken(_ candidate: String) -> Bool {
        guard let token else { return true }
        return Self.equal(Array(candidate.utf8), token)
    }

    /// A request's `Authorization` and `Cookie` headers carry the token or the session.
    func isAuthorized(authorization: String?, cookie: String?) -> Bool {
        guard token != nil else { return true }
        if let authorization, authorization.hasPrefix("Bearer "), matchesToken(String(authorization.dropFirst(7))) {
            return true
        }
        guard let cookie, let session = sessionValue else { return false }
        for part in cookie.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            guard pair.hasPrefix(Self.cookieName + "=") else { continue }
            if Self.equal(Array(pair.dropFirst(Self.cookieName.count + 1).utf8), Array(session.utf8)) { return true }
        }
        return false
    }

    /// Compares in time that depends on the lengths only, not on where the bytes differ.
    private static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
