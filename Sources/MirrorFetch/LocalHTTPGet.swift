internal import CCurlShims
import Foundation

/// One blocking GET with libcurl's easy interface, for `mediamirror health` asking the local
/// daemon. No proxy (the daemon is on this machine), no redirects, a small body cap.
public enum LocalHTTPGet {
    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]
    }

    private final class Body {
        var bytes: [UInt8] = []
        static let limit = 4 * 1024 * 1024
    }

    /// `headers`: whole header lines (`Authorization: Bearer …`).
    public static func get(
        _ url: String, timeoutSeconds: Int = 5, headers: [String] = []
    ) -> Result<Response, FetchFailure> {
        CurlGlobal.initialize()
        guard let easy = curl_easy_init() else {
            return .failure(FetchFailure(kind: .localError, message: "curl_easy_init failed"))
        }
        var headerList: UnsafeMutablePointer<curl_slist>?
        for header in headers { headerList = curl_slist_append(headerList, header) }
        defer {
            curl_easy_cleanup(easy)
            if let headerList { curl_slist_free_all(headerList) }
        }
        if let headerList { _ = mm_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList) }
        let body = Body()
        let context = Unmanaged.passUnretained(body).toOpaque()
        _ = mm_curl_easy_setopt_string(easy, CURLOPT_URL, url)
        _ = mm_curl_easy_setopt_string(easy, CURLOPT_NOPROXY, "*")
        _ = mm_curl_easy_setopt_long(easy, CURLOPT_TIMEOUT, timeoutSeconds)
        _ = mm_curl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = mm_curl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = mm_curl_easy_setopt_write_function(easy) { data, size, count, context in
            guard let data, let context else { return 0 }
            let body = Unmanaged<Body>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            guard body.bytes.count + length <= Body.limit else { return 0 }
            data.withMemoryRebound(to: UInt8.self, capacity: length) {
                body.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
            }
            return length
        }
        _ = mm_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        let code = withExtendedLifetime(body) { curl_easy_perform(easy) }
        guard code == CURLE_OK else {
            let kind: FetchFailure.Kind =
                code == CURLE_COULDNT_CONNECT ? .connect : code == CURLE_OPERATION_TIMEDOUT ? .timeout : .other
            return .failure(FetchFailure(kind: kind, message: String(cString: curl_easy_strerror(code))))
        }
        var status = 0
        _ = mm_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return .success(Response(status: status, body: body.bytes))
    }
}
