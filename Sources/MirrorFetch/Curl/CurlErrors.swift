internal import CCurlShims

/// Maps libcurl result codes to failure classes, keeping curl's own message.
enum CurlErrors {
    static func failure(for code: CURLcode, detail: String, status: Int) -> FetchFailure {
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let kind: FetchFailure.Kind
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .dns
        case CURLE_COULDNT_CONNECT: kind = .connect
        case CURLE_OPERATION_TIMEDOUT:
            // The low-speed limit and the timeouts share one code; curl's message tells them apart.
            kind = message.contains("too slow") ? .tooSlow : .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            kind = .tls
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_HTTP2, CURLE_HTTP2_STREAM: kind = .reset
        case CURLE_PARTIAL_FILE: kind = .truncated
        case CURLE_FILESIZE_EXCEEDED: kind = .tooLarge
        case CURLE_TOO_MANY_REDIRECTS: kind = .tooManyRedirects
        case CURLE_UNSUPPORTED_PROTOCOL: kind = .forbiddenProtocol
        case CURLE_URL_MALFORMAT: kind = .invalidURL
        case CURLE_ABORTED_BY_CALLBACK: kind = .cancelled
        case CURLE_WRITE_ERROR: kind = .localError
        default: kind = .other
        }
        return FetchFailure(kind: kind, message: message, httpStatus: status > 0 ? status : nil)
    }
}
