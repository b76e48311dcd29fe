#ifndef PADU_CCURL_SHIM_H
#define PADU_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt / curl_easy_getinfo are variadic and unavailable in Swift:
   one typed wrapper per argument type. */
static inline CURLcode padu_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode padu_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode padu_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode padu_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }

/* Added for PaduRemote (RemoteFetcher). */
/* CURLOPT_*_LARGE options (for example CURLOPT_MAXFILESIZE_LARGE) take a curl_off_t. */
static inline CURLcode padu_curl_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
/* CURLOPT_HTTPHEADER and other list options. */
static inline CURLcode padu_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
/* CURLOPT_WRITEFUNCTION / CURLOPT_HEADERFUNCTION (same C signature). */
static inline CURLcode padu_curl_setopt_write_callback(CURL *h, CURLoption o, curl_write_callback v) { return curl_easy_setopt(h, o, v); }
/* CURLOPT_XFERINFOFUNCTION. */
static inline CURLcode padu_curl_setopt_xferinfo_callback(CURL *h, curl_xferinfo_callback v) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, v); }
/* String results such as CURLINFO_REDIRECT_URL (owned by the handle; copy before the next transfer). */
static inline CURLcode padu_curl_getinfo_string(CURL *h, CURLINFO i, const char **v) { return curl_easy_getinfo(h, i, v); }
/* curl_off_t results such as CURLINFO_SIZE_DOWNLOAD_T. */
static inline CURLcode padu_curl_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
/* CURL_GLOBAL_DEFAULT and CURLVERSION_NOW are macros Swift may not import. */
static inline CURLcode padu_curl_global_init_default(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }
static inline const curl_version_info_data *padu_curl_version_info_now(void) { return curl_version_info(CURLVERSION_NOW); }
static inline int padu_curl_error_size(void) { return CURL_ERROR_SIZE; }
#endif
