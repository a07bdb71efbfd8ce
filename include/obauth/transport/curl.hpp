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

#include "detail/chunked.hpp"
#include "detail/common.hpp"
#include "error.hpp"
#include "options.hpp"

#include "../core/result.hpp"
#include "../core/wiping_allocator.hpp"
#include "../http/http_request.hpp"
#include "../http/http_response.hpp"

#include <curl/curl.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
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
    /// Set by a Transfer-Encoding: chunked response: curl passes the raw
    /// coding on, and this decodes it within the limits.
    std::optional<chunked_decoder> chunked;
};

inline std::size_t curl_on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* x = static_cast<curl_exchange*>(user);
    const std::size_t len = size * n;
    if (x->chunked) {
        switch (x->chunked->feed(std::string_view(data, len), x->body)) {
        case chunked_decoder::status::too_large:
            x->too_large = true;
            return 0;
        case chunked_decoder::status::malformed:
            x->bad_header = true;
            return 0;
        default:
            return len;
        }
    }
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
        x->chunked.reset();
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
    const std::string_view name = line.substr(0, colon), value = trim_ows(line.substr(colon + 1));
    if (ascii_iequals(name, "Transfer-Encoding")) {
        // Only the chunked coding (nothing asks for others); decoded here.
        if (!ascii_iequals(value, "chunked") || x->chunked) {
            x->bad_header = true;
            return 0;
        }
        x->chunked.emplace(x->max_body, x->max_header);
    }
    x->headers.push_back({std::string(name), value});
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

inline errc curl_error_code(CURLcode c, const curl_exchange& x) noexcept {
    // Our callbacks stopped the transfer; curl names that in several ways
    // (a write error, or a chunked-decoding error when inside a chunk).
    if (x.too_large)
        return errc::response_too_large;
    if (x.bad_header)
        return errc::invalid_response;
    // libcurl caps the trailer fields it collects (64 KiB) and fails with a
    // receive error when a trailer is longer: a response over the limit.
    if (c == CURLE_RECV_ERROR && x.chunked && x.chunked->in_trailer())
        return errc::response_too_large;
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
    case CURLE_UNSUPPORTED_PROTOCOL: // curl's word for an HTTP/0.9 reply (no status line)
        return errc::invalid_response;
    case CURLE_FILESIZE_EXCEEDED:
        return errc::response_too_large;
    case CURLE_WRITE_ERROR:
        return errc::internal;
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

    /// Sends `request` and returns the response, whatever its status;
    /// follows redirects only when the options say so, by the policy of
    /// detail::follow_redirect (the same for both adapters).
    result<http::http_response> operator()(const http::http_request& request) const {
        const transport_options& o = pool_->options;
        OBAUTH_TRY_VOID(detail::check_request(request, o));
        const auto deadline = std::chrono::steady_clock::now() + o.timeout;
        detail::hop h(request);
        for (unsigned hops = 0;; ++hops) {
            OBAUTH_TRY(http::http_response r, exchange(h, deadline));
            if (!o.follow_redirects || !detail::is_redirect(r.status))
                return r;
            const wiping_string* location = r.header("Location");
            if (location == nullptr)
                return r;
            if (hops >= o.max_redirects)
                return make_error(errc::too_many_redirects);
            OBAUTH_TRY_VOID(detail::follow_redirect(h, r.status, *location, o));
        }
    }

private:
    /// One request and its response: curl follows nothing itself.
    result<http::http_response> exchange(const detail::hop& h,
                                         std::chrono::steady_clock::time_point deadline) const {
        const transport_options& o = pool_->options;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return make_error(errc::timeout, "before the request was sent");
        std::unique_ptr<CURL, handle_return> c(pool_->take(), handle_return{pool_.get()});
        if (!c)
            return make_error(errc::internal, "curl_easy_init failed");

        detail::curl_exchange x;
        x.max_body = o.max_response_bytes;
        x.max_header = o.max_header_bytes;
        detail::curl_header_list fields;
        char error_text[CURL_ERROR_SIZE] = {};
        const std::string url(h.url.buffer());
        const char* protocols = o.allow_http_loopback ? "http,https" : "https";

        bool ok = true;
        auto set = [&](CURLoption opt, auto value) {
            ok = ok && curl_easy_setopt(c.get(), opt, value) == CURLE_OK;
        };
        set(CURLOPT_ERRORBUFFER, static_cast<char*>(error_text));
        set(CURLOPT_URL, url.c_str());
        set(CURLOPT_PROTOCOLS_STR, protocols);
        set(CURLOPT_NOSIGNAL, 1L);
        set(CURLOPT_NOPROGRESS, 1L);
        set(CURLOPT_CONNECTTIMEOUT_MS,
            static_cast<long>(std::min(o.connect_timeout, left).count()));
        set(CURLOPT_TIMEOUT_MS, static_cast<long>(left.count()));
        set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(o.max_response_bytes));
        set(CURLOPT_HTTP_TRANSFER_DECODING, 0L); // chunked: detail::chunked_decoder
        set(CURLOPT_FOLLOWLOCATION, 0L);
        set(CURLOPT_SSL_VERIFYPEER, 1L);
        set(CURLOPT_SSL_VERIFYHOST, 2L);
        set(CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
        if (!o.ca_file.empty()) {
            // This file alone: Debian's libcurl would also trust every CA in
            // its default CA path (/etc/ssl/certs).
            set(CURLOPT_CAINFO, o.ca_file.c_str());
            set(CURLOPT_CAPATH, static_cast<const char*>(nullptr));
        }
        // No proxy from the environment (http_proxy, HTTPS_PROXY, NO_PROXY):
        // only the one the options name, always through a CONNECT tunnel.
        set(CURLOPT_PROXY, o.proxy.c_str());
        set(CURLOPT_NOPROXY, "");
        if (!o.proxy.empty()) {
            set(CURLOPT_PROXYTYPE, static_cast<long>(CURLPROXY_HTTP));
            set(CURLOPT_HTTPPROXYTUNNEL, 1L);
        }
        if (h.use_client_certificate) {
            const client_identity& id = *o.client_certificate;
            set(CURLOPT_SSLCERTTYPE, "PEM");
            set(CURLOPT_SSLCERT, id.certificate_file.c_str());
            set(CURLOPT_SSLKEYTYPE, "PEM");
            set(CURLOPT_SSLKEY, id.private_key_file.c_str());
            if (id.private_key_password) { // curl keeps its own copy until the option is unset
                wiping_string password(id.private_key_password->expose_secret_chars());
                set(CURLOPT_KEYPASSWD, password.c_str());
                wipe(password);
            }
        }
        set(CURLOPT_USERAGENT, o.user_agent.c_str());
        set(CURLOPT_HEADERFUNCTION, &detail::curl_on_header);
        set(CURLOPT_HEADERDATA, static_cast<void*>(&x));
        set(CURLOPT_WRITEFUNCTION, &detail::curl_on_body);
        set(CURLOPT_WRITEDATA, static_cast<void*>(&x));

        if (h.method == http::http_method::get) {
            set(CURLOPT_HTTPGET, 1L);
        } else {
            if (h.method != http::http_method::post)
                set(CURLOPT_CUSTOMREQUEST, std::string(http::method_name(h.method)).c_str());
            set(CURLOPT_POSTFIELDS, h.body.data());
            set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(h.body.size()));
        }
        if (!ok)
            return make_error(errc::internal, "curl_easy_setopt failed");

        for (const auto& f : h.headers)
            if (!fields.add(f.name, f.value))
                return make_error(errc::internal, "out of memory");
        // No "Expect: 100-continue" round trip; no default Content-Type guess.
        if (!fields.suppress("Expect") ||
            (http::find_header(h.headers, "Content-Type") == nullptr && !h.body.empty() &&
             !fields.add("Content-Type", "application/octet-stream")))
            return make_error(errc::internal, "out of memory");
        if (curl_easy_setopt(c.get(), CURLOPT_HTTPHEADER, fields.get()) != CURLE_OK)
            return make_error(errc::internal, "curl_easy_setopt failed");

        const CURLcode rc = curl_easy_perform(c.get());
        long status = 0;
        long connect_status = 0;
        curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(c.get(), CURLINFO_HTTP_CONNECTCODE, &connect_status);
        // Unset what points into this call's buffers (and curl's password copy).
        curl_easy_setopt(c.get(), CURLOPT_KEYPASSWD, nullptr);
        curl_easy_setopt(c.get(), CURLOPT_HTTPHEADER, nullptr);
        curl_easy_setopt(c.get(), CURLOPT_POSTFIELDS, nullptr);
        if (rc != CURLE_OK) {
            std::string detail = error_text[0] != '\0' ? error_text : curl_easy_strerror(rc);
            if (connect_status != 0 && (connect_status < 200 || connect_status > 299))
                return make_error(errc::proxy_failed,
                                  "CONNECT answered " + std::to_string(connect_status));
            return make_error(detail::curl_error_code(rc, x), detail.substr(0, 200));
        }
        if (status < 100 || status > 999)
            return make_error(errc::invalid_response, "no HTTP status");
        if (x.chunked && !x.chunked->done())
            return make_error(errc::receive_failed, "chunked body cut short");

        http::http_response response;
        response.status = static_cast<int>(status);
        response.headers = std::move(x.headers);
        response.body = std::move(x.body);
        return response;
    }

    struct handle_return {
        detail::curl_pool* pool;
        void operator()(CURL* h) const noexcept { pool->give_back(h); }
    };

    explicit curl_transport(std::shared_ptr<detail::curl_pool> p) noexcept : pool_(std::move(p)) {}

    std::shared_ptr<detail::curl_pool> pool_;
};

} // namespace obauth::transport
