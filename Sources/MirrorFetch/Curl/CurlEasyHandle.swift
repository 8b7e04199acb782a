internal import CCurlShims

/// One libcurl easy handle and the memory it points into (the header list, the error buffer),
/// freed together in `deinit`, as swift-corelibs-foundation's `_EasyHandle` owns its handle.
/// Options are set through `set`, which remembers the first one curl refused; `check` turns
/// that into one failure after configuring, instead of a result ignored at every call.
/// Used on the curl thread only.
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    let errorBuffer: UnsafeMutablePointer<CChar>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var refused: (option: String, code: CURLcode)?

    init() throws(FetchFailure) {
        guard let raw = curl_easy_init() else {
            throw FetchFailure(kind: .localError, message: "curl_easy_init failed")
        }
        self.raw = raw
        errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        note(mm_curl_easy_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
    }

    deinit {
        curl_easy_cleanup(raw)
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    /// The text curl left in the error buffer for the last failure.
    var errorDetail: String { String(cString: errorBuffer) }

    func set(_ option: CURLoption, _ value: Int, _ name: String) {
        note(mm_curl_easy_setopt_long(raw, option, value), name)
    }

    func set(_ option: CURLoption, _ value: String, _ name: String) {
        note(mm_curl_easy_setopt_string(raw, option, value), name)
    }

    func set(_ option: CURLoption, offset value: curl_off_t, _ name: String) {
        note(mm_curl_easy_setopt_off_t(raw, option, value), name)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?, _ name: String) {
        note(mm_curl_easy_setopt_pointer(raw, option, value), name)
    }

    func set(blob option: CURLoption, _ bytes: [UInt8], _ name: String) {
        // CURL_BLOB_COPY: curl keeps its own copy.
        let code = bytes.withUnsafeBytes { mm_curl_easy_setopt_blob(raw, option, $0.baseAddress, $0.count) }
        note(code, name)
    }

    /// The request headers; the list lives as long as the handle.
    func setHeaders(_ headers: [String]) {
        guard !headers.isEmpty else { return }
        var list: UnsafeMutablePointer<curl_slist>?
        for header in headers { list = curl_slist_append(list, header) }
        headerList = list
        note(mm_curl_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, list), "CURLOPT_HTTPHEADER")
    }

    func note(_ code: CURLcode, _ name: String) {
        if code != CURLE_OK, refused == nil { refused = (name, code) }
    }

    /// Throws for the first option curl refused.
    func check() throws(FetchFailure) {
        guard let refused else { return }
        throw FetchFailure(
            kind: .localError,
            message: "libcurl refused \(refused.option): \(String(cString: curl_easy_strerror(refused.code)))")
    }

    func info(_ item: CURLINFO) -> Int {
        var value = 0
        _ = mm_curl_easy_getinfo_long(raw, item, &value)
        return value
    }

    func info(string item: CURLINFO) -> String? {
        var value: UnsafePointer<CChar>?
        _ = mm_curl_easy_getinfo_string(raw, item, &value)
        return value.map { String(cString: $0) }
    }
}
