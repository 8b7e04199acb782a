#ifndef MEDIAMIRROR_CCURLSHIMS_H
#define MEDIAMIRROR_CCURLSHIMS_H

// The C wall around libcurl: curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are
// variadic, which Swift cannot call; each gets one non-variadic wrapper per argument kind.
// Only MirrorFetch imports this module (internally), so no other module sees curl.h.

#include <stddef.h>
#include <stdint.h>
#include <curl/curl.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - libcurl

typedef size_t (*mm_curl_data_callback)(char *data, size_t size, size_t count, void *context);
typedef size_t (*mm_curl_read_callback)(char *buffer, size_t size, size_t count, void *context);
typedef int (*mm_curl_seek_callback)(void *context, curl_off_t offset, int origin);
typedef curl_socket_t (*mm_curl_opensocket_callback)(void *context, curlsocktype purpose,
                                                    struct curl_sockaddr *address);

CURLcode mm_curl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode mm_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode mm_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode mm_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode mm_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
/// Sets a blob option (CURLOPT_CAINFO_BLOB…); curl copies the bytes.
CURLcode mm_curl_easy_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t size);
CURLcode mm_curl_easy_setopt_write_function(CURL *handle, mm_curl_data_callback callback);
CURLcode mm_curl_easy_setopt_header_function(CURL *handle, mm_curl_data_callback callback);
CURLcode mm_curl_easy_setopt_read_function(CURL *handle, mm_curl_read_callback callback);
CURLcode mm_curl_easy_setopt_seek_function(CURL *handle, mm_curl_seek_callback callback);
CURLcode mm_curl_easy_setopt_opensocket_function(CURL *handle,
                                                 mm_curl_opensocket_callback callback);

CURLcode mm_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode mm_curl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value);

CURLMcode mm_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

/// Reads one finished transfer from the multi handle. Returns 1 and fills `easy` and `result`
/// when a transfer finished, 0 when there is nothing more to read.
int mm_curl_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result);

/// The numeric address (IPv4 or IPv6, as text) and family of a socket address curl is about to
/// connect to. Returns 0 on success.
int mm_sockaddr_describe(const struct curl_sockaddr *address, char *text, size_t text_size,
                         int *family);

/// `socket(2)` for curl's open-socket callback, which must create the socket itself.
curl_socket_t mm_open_socket(const struct curl_sockaddr *address);

#ifdef __cplusplus
}
#endif

#endif
