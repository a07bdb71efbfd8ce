// A transport for obauth's sans-IO client on libcurl: an
// `http_request -> result<http_response>` callable (the contract of
// oauth/run.hpp and the token manager) with certificate verification, the
// client certificate for RFC 8705 requests only, timeouts, a response size
// limit, no redirects unless asked, and each failure as its own code.
//
// Copies share one pool of curl handles, so connections (and TLS sessions)
// are reused; concurrent calls each take their own handle. Buffers that held
// the request's headers and the response body are wiped before they are
// released. Link with obauth::transport_curl (libcurl4-openssl-dev).
#pragma once

#include "detail/common.hpp"
#include "error.hpp"
#include "options.hpp"

#include "../core/result.hpp"
#include "../core/wiping_allocator.hpp"
#include "../http/http_request.hpp"
#include "../http/http_response.hpp"

#include <curl/curl.h>
#include <openssl/crypto.h>

#include <cstddef>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::transport {

namespace detail {

/// Status line and header fields of the last response curl saw (a redirect
/// or a 100 Continue starts a new one).
struct curl_exchange {
    http::http_headers headers;
    wiping_string body;
    std::size_t header_bytes = 0;
    std::size_t max_body = 0;
    std::size_t max_header = 0;
    bool too_large = false;
    bool bad_header = false;
};

inline std::size_t curl_on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* x = static_cast<curl_exchange*>(user);
    const std::size_t len = size * n;
    if (len > x->max_body - x->body.size()) {
        x->too_large = true;
        return 0; // makes curl stop with CURLE_WRITE_ERROR
    }
    x->body.append(data, len);
    return len;
}

inline std::size_t curl_on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* x = static_cast<curl_exchange*>(user);
    const std::size_t len = size * n;
    x->header_bytes += len;
    if (x->header_bytes > x->max_header) {
        x->too_large = true;
        return 0;
    }
    std::string_view line(data, len);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.remove_suffix(1);
    if (line.rfind("HTTP/", 0) == 0) { // a new response: forget the previous one's fields
        x->headers.clear();
        x->body.clear();
        return len;
    }
    if (line.empty())
        return len;
    if (line.front() == ' ' || line.front() == '\t') { // obsolete line folding (RFC 9112 §5.2)
        x->bad_header = true;
        return 0;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || !valid_field_name(line.substr(0, colon))) {
        x->bad_header = true;
        return 0;
    }
    x->headers.push_back(
        {std::string(line.substr(0, colon)), std::string(trim_ows(line.substr(colon + 1)))});
    return len;
}

/// Header fields for curl, wiped when released (Authorization carries
/// credentials).
class curl_header_list {
public:
    curl_header_list() = default;
    curl_header_list(const curl_header_list&) = delete;
    curl_header_list& operator=(const curl_header_list&) = delete;
    ~curl_header_list() {
        for (curl_slist* p = list_; p != nullptr; p = p->next)
            OPENSSL_cleanse(p->data, std::strlen(p->data));
        curl_slist_free_all(list_);
        wipe(line_);
    }

    bool add(std::string_view name, std::string_view value) {
        line_.assign(name.data(), name.size());
        // "Name;" is curl's way to send a field with an empty value.
        if (value.empty()) {
            line_ += ';';
        } else {
            line_ += ": ";
            line_.append(value.data(), value.size());
        }
        return append();
    }
    /// Stops curl from sending a field it would add itself ("Name:").
    bool suppress(std::string_view name) {
        line_.assign(name.data(), name.size());
        line_ += ':';
        return append();
    }
    curl_slist* get() const noexcept { return list_; }

private:
    bool append() {
        curl_slist* next = curl_slist_append(list_, line_.c_str());
        wipe(line_);
        if (next == nullptr)
            return false;
        list_ = next;
        return true;
    }

    curl_slist* list_ = nullptr;
    wiping_string line_;
};

inline errc curl_error_code(CURLcode c, const curl_exchange& x, long last_status) noexcept {
    switch (c) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return errc::dns_failed;
    case CURLE_COULDNT_CONNECT:
        return errc::connect_failed;
    case CURLE_OPERATION_TIMEDOUT:
        return errc::timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CRL_BADFILE:
        return errc::tls_failed;
    case CURLE_SSL_CERTPROBLEM:
        return errc::client_certificate_unusable;
    case CURLE_TOO_MANY_REDIRECTS:
        return errc::too_many_redirects;
    case CURLE_UNSUPPORTED_PROTOCOL:
        // After a 3xx: a redirect to a protocol we did not allow. Otherwise
        // curl's word for an HTTP/0.9 reply (no status line).
        return last_status >= 300 && last_status < 400 ? errc::redirect_refused
                                                       : errc::invalid_response;
    case CURLE_FILESIZE_EXCEEDED:
        return errc::response_too_large;
    case CURLE_WRITE_ERROR:
        return x.too_large ? errc::response_too_large
                           : (x.bad_header ? errc::invalid_response : errc::internal);
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_RANGE_ERROR:
        return errc::invalid_response;
    case CURLE_SEND_ERROR:
        return errc::send_failed;
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return errc::receive_failed;
    default:
        return errc::internal;
    }
}

/// The handles shared by copies of one curl_transport.
struct curl_pool {
    transport_options options;
    std::mutex mu;
    std::vector<CURL*> idle;

    explicit curl_pool(transport_options o) : options(std::move(o)) {}
    curl_pool(const curl_pool&) = delete;
    curl_pool& operator=(const curl_pool&) = delete;
    ~curl_pool() {
        for (CURL* h : idle)
            curl_easy_cleanup(h);
    }

    CURL* take() {
        {
            std::lock_guard<std::mutex> lock(mu);
            if (!idle.empty()) {
                CURL* h = idle.back();
                idle.pop_back();
                curl_easy_reset(h); // options back to defaults; connections stay cached
                return h;
            }
        }
        return curl_easy_init();
    }
    void give_back(CURL* h) {
        std::lock_guard<std::mutex> lock(mu);
        idle.push_back(h);
    }
};

} // namespace detail

class curl_transport {
public:
    /// Checks the options (positive limits, readable CA and certificate
    /// files) and initializes libcurl once per process.
    static result<curl_transport> create(transport_options options) {
        OBAUTH_TRY_VOID(detail::check_options(options));
        static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
        if (init != CURLE_OK)
            return make_error(errc::internal, "curl_global_init failed");
        return curl_transport(std::make_shared<detail::curl_pool>(std::move(options)));
    }

    const transport_options& options() const noexcept { return pool_->options; }

    /// Sends `request` and returns the response, whatever its status.
    result<http::http_response> operator()(const http::http_request& request) const {
        const transport_options& o = pool_->options;
        OBAUTH_TRY_VOID(detail::check_request(request, o));
        std::unique_ptr<CURL, handle_return> h(pool_->take(), handle_return{pool_.get()});
        if (!h)
            return make_error(errc::internal, "curl_easy_init failed");

        detail::curl_exchange x;
        x.max_body = o.max_response_bytes;
        x.max_header = o.max_header_bytes;
        detail::curl_header_list fields;
        char error_text[CURL_ERROR_SIZE] = {};
        const std::string url(request.url.buffer());
        const char* protocols = o.allow_http_loopback ? "http,https" : "https";

        bool ok = true;
        auto set = [&](CURLoption opt, auto value) {
            ok = ok && curl_easy_setopt(h.get(), opt, value) == CURLE_OK;
        };
        set(CURLOPT_ERRORBUFFER, static_cast<char*>(error_text));
        set(CURLOPT_URL, url.c_str());
        set(CURLOPT_PROTOCOLS_STR, protocols);
        set(CURLOPT_REDIR_PROTOCOLS_STR, protocols);
        set(CURLOPT_NOSIGNAL, 1L);
        set(CURLOPT_NOPROGRESS, 1L);
        set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout.count()));
        set(CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout.count()));
        set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(o.max_response_bytes));
        set(CURLOPT_FOLLOWLOCATION, o.follow_redirects ? 1L : 0L);
        set(CURLOPT_MAXREDIRS, static_cast<long>(o.max_redirects));
        set(CURLOPT_SSL_VERIFYPEER, 1L);
        set(CURLOPT_SSL_VERIFYHOST, 2L);
        if (!o.ca_file.empty())
            set(CURLOPT_CAINFO, o.ca_file.c_str());
        if (request.use_client_certificate) {
            const client_identity& c = *o.client_certificate;
            set(CURLOPT_SSLCERTTYPE, "PEM");
            set(CURLOPT_SSLCERT, c.certificate_file.c_str());
            set(CURLOPT_SSLKEYTYPE, "PEM");
            set(CURLOPT_SSLKEY, c.private_key_file.c_str());
            if (c.private_key_password) { // curl keeps its own copy until the option is unset
                wiping_string password(c.private_key_password->expose_secret_chars());
                set(CURLOPT_KEYPASSWD, password.c_str());
                wipe(password);
            }
        }
        set(CURLOPT_USERAGENT, o.user_agent.c_str());
        set(CURLOPT_HEADERFUNCTION, &detail::curl_on_header);
        set(CURLOPT_HEADERDATA, static_cast<void*>(&x));
        set(CURLOPT_WRITEFUNCTION, &detail::curl_on_body);
        set(CURLOPT_WRITEDATA, static_cast<void*>(&x));

        if (request.method == http::http_method::get) {
            set(CURLOPT_HTTPGET, 1L);
        } else {
            // POST is implied by the body; a custom method would stick across
            // a 303 redirect, where curl must switch to GET.
            if (request.method != http::http_method::post)
                set(CURLOPT_CUSTOMREQUEST, std::string(http::method_name(request.method)).c_str());
            set(CURLOPT_POSTFIELDS, request.body.data());
            set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        }
        if (!ok)
            return make_error(errc::internal, "curl_easy_setopt failed");

        for (const auto& f : request.headers)
            if (!fields.add(f.name, f.value))
                return make_error(errc::internal, "out of memory");
        // No "Expect: 100-continue" round trip; no default Content-Type guess.
        if (!fields.suppress("Expect") ||
            (request.header("Content-Type") == nullptr && !request.body.empty() &&
             !fields.add("Content-Type", "application/octet-stream")))
            return make_error(errc::internal, "out of memory");
        if (curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, fields.get()) != CURLE_OK)
            return make_error(errc::internal, "curl_easy_setopt failed");

        const CURLcode rc = curl_easy_perform(h.get());
        long status = 0;
        curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
        // Unset what points into this call's buffers (and curl's password copy).
        curl_easy_setopt(h.get(), CURLOPT_KEYPASSWD, nullptr);
        curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, nullptr);
        curl_easy_setopt(h.get(), CURLOPT_POSTFIELDS, nullptr);
        if (rc != CURLE_OK) {
            std::string detail = error_text[0] != '\0' ? error_text : curl_easy_strerror(rc);
            return make_error(detail::curl_error_code(rc, x, status), detail.substr(0, 200));
        }
        if (status < 100 || status > 999)
            return make_error(errc::invalid_response, "no HTTP status");

        http::http_response response;
        response.status = static_cast<int>(status);
        response.headers = std::move(x.headers);
        response.body.assign(x.body.data(), x.body.size());
        wipe(x.body);
        return response;
    }

private:
    struct handle_return {
        detail::curl_pool* pool;
        void operator()(CURL* h) const noexcept { pool->give_back(h); }
    };

    explicit curl_transport(std::shared_ptr<detail::curl_pool> p) noexcept : pool_(std::move(p)) {}

    std::shared_ptr<detail::curl_pool> pool_;
};

} // namespace obauth::transport
