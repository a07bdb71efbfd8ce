// A transport for obauth's sans-IO client on Boost.Beast and Boost.Asio
// with OpenSSL (the header-only parts of Boost 1.81): the same
// `http_request -> result<http_response>` contract and the same options as
// curl.hpp, synchronous to the caller.
//
// Each call opens its own connection (HTTP/1.1, `Connection: close`) on its
// own io_context, so calls are independent and may run concurrently; the TLS
// contexts (trust store, client certificate and key) are built once in
// create() and shared by copies. A proxy, when configured, is asked for a
// CONNECT tunnel on every connection. The server certificate is verified against
// the host name or IP address of the URL; TLS 1.2 is the minimum. The
// serialized request and the read buffers are wiped before release.
// Link with obauth::transport_beast.
#pragma once

#include "detail/common.hpp"
#include "error.hpp"
#include "options.hpp"

#include "../core/result.hpp"
#include "../core/wiping_allocator.hpp"
#include "../http/http_request.hpp"
#include "../http/http_response.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace obauth::transport {

namespace detail {

namespace net = boost::asio;
using steady = std::chrono::steady_clock;

/// The TLS contexts shared by copies of one beast_transport.
struct beast_state {
    transport_options options;
    net::ssl::context plain{net::ssl::context::tls_client};
    std::optional<net::ssl::context> with_certificate;

    explicit beast_state(transport_options o) : options(std::move(o)) {}
};

inline int beast_password_callback(char* buf, int size, int, void* user) {
    const auto* pw = static_cast<const secret*>(user);
    const std::string_view chars = pw->expose_secret_chars();
    if (size < 0 || chars.size() > static_cast<std::size_t>(size))
        return -1;
    std::memcpy(buf, chars.data(), chars.size());
    return static_cast<int>(chars.size());
}

inline result<void> configure_context(net::ssl::context& ctx, const transport_options& o,
                                      const client_identity* id) {
    SSL_CTX* native = ctx.native_handle();
    if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1)
        return make_error(errc::internal, "cannot require TLS 1.2");
    boost::system::error_code ec;
    ctx.set_verify_mode(net::ssl::verify_peer, ec);
    if (!ec) {
        if (o.ca_file.empty())
            ctx.set_default_verify_paths(ec);
        else
            ctx.load_verify_file(o.ca_file, ec);
    }
    if (ec)
        return make_error(errc::invalid_options, "trust store: " + ec.message());
    if (id == nullptr)
        return {};
    if (SSL_CTX_use_certificate_chain_file(native, id->certificate_file.c_str()) != 1)
        return make_error(errc::client_certificate_unusable, "certificate file");
    if (id->private_key_password) {
        SSL_CTX_set_default_passwd_cb(native, &beast_password_callback);
        SSL_CTX_set_default_passwd_cb_userdata(native,
                                               const_cast<secret*>(&*id->private_key_password));
    }
    const int key_ok =
        SSL_CTX_use_PrivateKey_file(native, id->private_key_file.c_str(), SSL_FILETYPE_PEM);
    SSL_CTX_set_default_passwd_cb(native, nullptr);
    SSL_CTX_set_default_passwd_cb_userdata(native, nullptr);
    if (key_ok != 1)
        return make_error(errc::client_certificate_unusable, "private key file");
    if (SSL_CTX_check_private_key(native) != 1)
        return make_error(errc::client_certificate_unusable, "key does not match the certificate");
    return {};
}

/// The one asynchronous operation in flight: whether it has completed, and
/// how.
struct pending_op {
    bool done = false;
    boost::system::error_code ec;

    /// A completion handler for any operation: keeps the error code and
    /// ignores the rest (bytes transferred, the endpoint connected to).
    auto handler() {
        done = false;
        return [this](boost::system::error_code e, const auto&...) {
            ec = e;
            done = true;
        };
    }
};

/// Runs `ioc` until `op` completes or until `deadline`; then cancels it
/// with `cancel` and lets it finish.
template <class Cancel>
bool finished_by(net::io_context& ioc, const pending_op& op, steady::time_point deadline,
                 Cancel&& cancel) {
    ioc.restart();
    while (!op.done && steady::now() < deadline)
        if (ioc.run_one_until(deadline) == 0 && ioc.stopped())
            break;
    if (op.done)
        return true;
    cancel();
    ioc.restart();
    ioc.run();
    return false;
}

using wiping_body =
    boost::beast::http::basic_string_body<char, std::char_traits<char>, wiping_allocator<char>>;

inline errc read_error_code(const boost::system::error_code& ec) {
    namespace http = boost::beast::http;
    if (ec == http::error::body_limit || ec == http::error::header_limit ||
        ec == http::error::buffer_overflow)
        return errc::response_too_large;
    if (ec.category() == boost::system::error_code(http::error::end_of_stream).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message)
        return errc::invalid_response;
    return errc::receive_failed;
}

/// One request and its response over a connected (and, for https,
/// handshaken) stream.
template <class Stream, class Cancel>
result<http::http_response> beast_exchange(net::io_context& ioc, Stream& stream,
                                           const wiping_string& wire, const transport_options& o,
                                           steady::time_point deadline, Cancel&& cancel) {
    pending_op op;
    net::async_write(stream, net::buffer(wire.data(), wire.size()), op.handler());
    if (!finished_by(ioc, op, deadline, cancel))
        return make_error(errc::timeout, "sending the request");
    if (op.ec)
        return make_error(errc::send_failed, op.ec.message());

    // Bounded: Boost 1.81's parser applies neither limit to chunk extensions
    // or trailers, which it keeps in this buffer until they end. Header
    // limit plus body limit plus one read's worth is all a valid response
    // ever needs here.
    boost::beast::basic_flat_buffer<wiping_allocator<char>> buffer(
        o.max_header_bytes + o.max_response_bytes + 64 * 1024);
    boost::beast::http::response_parser<wiping_body> parser;
    parser.body_limit(o.max_response_bytes);
    parser.header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(o.max_header_bytes, 0xffffffffu)));
    boost::beast::http::async_read(stream, buffer, parser, op.handler());
    if (!finished_by(ioc, op, deadline, cancel))
        return make_error(errc::timeout, "waiting for the response");
    if (op.ec)
        return make_error(read_error_code(op.ec), op.ec.message());

    auto& msg = parser.get();
    http::http_response r;
    r.status = static_cast<int>(msg.result_int());
    for (const auto& f : msg)
        r.headers.push_back({std::string(f.name_string()), std::string_view(f.value())});
    r.body = std::move(msg.body()); // the same wiping string type
    return r;
}

/// The request as it goes on the wire (RFC 9112), in a buffer that is wiped.
inline wiping_string serialize_request(http::http_method method, boost::urls::url_view url,
                                       const http::http_headers& headers, std::string_view body,
                                       const transport_options& o) {
    wiping_string w;
    w.reserve(256 + body.size());
    w += http::method_name(method);
    w += ' ';
    const auto path = url.encoded_path();
    if (path.empty())
        w += '/';
    else
        w.append(path.data(), path.size());
    if (url.has_query()) {
        const auto q = url.encoded_query();
        w += '?';
        w.append(q.data(), q.size());
    }
    w += " HTTP/1.1\r\nHost: ";
    const auto host = url.encoded_host_and_port();
    w.append(host.data(), host.size());
    w += "\r\nConnection: close\r\n";
    if (http::find_header(headers, "User-Agent") == nullptr) {
        w += "User-Agent: ";
        w += o.user_agent;
        w += "\r\n";
    }
    for (const auto& f : headers) {
        w += f.name;
        w += ": ";
        w += f.value;
        w += "\r\n";
    }
    if (!body.empty() || method != http::http_method::get) {
        w += "Content-Length: ";
        w += std::to_string(body.size());
        w += "\r\n";
    }
    w += "\r\n";
    w.append(body.data(), body.size());
    return w;
}

/// Asks the proxy on `socket` for a tunnel to `authority` (RFC 9110 §9.3.6).
inline result<void> open_tunnel(net::io_context& ioc, net::ip::tcp::socket& socket,
                                const std::string& authority, std::size_t max_header,
                                steady::time_point deadline) {
    namespace bh = boost::beast::http;
    const std::string connect =
        "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";
    pending_op op;
    auto cancel = [&] { socket.close(); };
    net::async_write(socket, net::buffer(connect), op.handler());
    if (!finished_by(ioc, op, deadline, cancel))
        return make_error(errc::timeout, "CONNECT to the proxy");
    if (op.ec)
        return make_error(errc::proxy_failed, op.ec.message());
    boost::beast::flat_buffer buffer(max_header);
    bh::response_parser<bh::empty_body> parser;
    parser.skip(true); // a 2xx answer to CONNECT has no body: the tunnel follows
    parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(max_header, 0xffffffffu)));
    bh::async_read_header(socket, buffer, parser, op.handler());
    if (!finished_by(ioc, op, deadline, cancel))
        return make_error(errc::timeout, "waiting for the proxy");
    if (op.ec)
        return make_error(errc::proxy_failed, op.ec.message());
    const unsigned status = parser.get().result_int();
    if (status < 200 || status > 299)
        return make_error(errc::proxy_failed, "CONNECT answered " + std::to_string(status));
    if (buffer.size() != 0) // the server cannot have spoken before the client
        return make_error(errc::proxy_failed, "bytes after the CONNECT answer");
    return {};
}

/// Resolve, connect (and tunnel through the proxy), TLS, send, receive: one
/// connection.
inline result<http::http_response> beast_round_trip(const beast_state& s, boost::urls::url_view url,
                                                    const wiping_string& wire,
                                                    bool with_certificate,
                                                    steady::time_point deadline) {
    const transport_options& o = s.options;
    net::io_context ioc;
    const steady::time_point connect_by = std::min(deadline, steady::now() + o.connect_timeout);
    std::string host(url.encoded_host_address());
    if (url.host_type() == boost::urls::host_type::name)
        host = std::string(url.host_address());
    const std::string port = std::to_string(effective_port(url));
    // Through a proxy, the TCP connection goes to the proxy, and a CONNECT
    // tunnel to the server's host and port runs over it.
    std::string to_host = host, to_port = port;
    if (!o.proxy.empty()) {
        OBAUTH_TRY(const boost::urls::url proxy, parse_proxy(o.proxy));
        to_host = std::string(proxy.host_type() == boost::urls::host_type::name
                                  ? proxy.host_address()
                                  : proxy.encoded_host_address());
        to_port = std::to_string(proxy.port_number());
    }

    pending_op op;
    net::ip::tcp::resolver resolver(ioc);
    net::ip::tcp::resolver::results_type endpoints;
    resolver.async_resolve(
        to_host, to_port,
        [&endpoints, done = op.handler()](boost::system::error_code e,
                                          net::ip::tcp::resolver::results_type r) mutable {
            endpoints = std::move(r);
            done(e);
        });
    if (!finished_by(ioc, op, connect_by, [&] { resolver.cancel(); }))
        return make_error(errc::timeout, "resolving the host name");
    if (op.ec)
        return make_error(errc::dns_failed, op.ec.message());

    auto connect = [&](net::ip::tcp::socket& socket) -> result<void> {
        net::async_connect(socket, endpoints, op.handler());
        if (!finished_by(ioc, op, connect_by, [&] { socket.close(); }))
            return make_error(errc::timeout, "connecting");
        if (op.ec)
            return make_error(errc::connect_failed, op.ec.message());
        if (o.proxy.empty())
            return {};
        return open_tunnel(ioc, socket, std::string(url.encoded_host()) + ":" + port,
                           o.max_header_bytes, connect_by);
    };

    if (url.scheme_id() == boost::urls::scheme::http) {
        net::ip::tcp::socket socket(ioc);
        OBAUTH_TRY_VOID(connect(socket));
        return beast_exchange(ioc, socket, wire, o, deadline, [&] { socket.close(); });
    }

    net::ssl::stream<net::ip::tcp::socket> stream(
        ioc, with_certificate ? const_cast<net::ssl::context&>(*s.with_certificate)
                              : const_cast<net::ssl::context&>(s.plain));
    SSL* ssl = stream.native_handle();
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    const bool by_name = url.host_type() == boost::urls::host_type::name;
    if (by_name) {
        // SSL_set_tlsext_host_name without its C cast (-Wold-style-cast).
        char* sni = const_cast<char*>(host.c_str());
        if (SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, sni) != 1 ||
            X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) != 1)
            return make_error(errc::internal, "cannot set the TLS host name");
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    } else if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) {
        return make_error(errc::internal, "cannot set the TLS IP address");
    }
    OBAUTH_TRY_VOID(connect(stream.next_layer()));
    stream.async_handshake(net::ssl::stream_base::client, op.handler());
    if (!finished_by(ioc, op, connect_by, [&] { stream.next_layer().close(); }))
        return make_error(errc::timeout, "TLS handshake");
    if (op.ec)
        return make_error(errc::tls_failed, op.ec.message());
    return beast_exchange(ioc, stream, wire, o, deadline, [&] { stream.next_layer().close(); });
}

} // namespace detail

class beast_transport {
public:
    /// Checks the options and builds the TLS contexts: the trust store is
    /// read, and the client certificate and key are loaded (and matched)
    /// now, not on every request.
    static result<beast_transport> create(transport_options options) {
        OBAUTH_TRY_VOID(detail::check_options(options));
        auto s = std::make_shared<detail::beast_state>(std::move(options));
        OBAUTH_TRY_VOID(detail::configure_context(s->plain, s->options, nullptr));
        if (s->options.client_certificate) {
            s->with_certificate.emplace(boost::asio::ssl::context::tls_client);
            OBAUTH_TRY_VOID(detail::configure_context(*s->with_certificate, s->options,
                                                      &*s->options.client_certificate));
        }
        return beast_transport(std::move(s));
    }

    const transport_options& options() const noexcept { return state_->options; }

    /// Sends `request` and returns the response, whatever its status;
    /// follows redirects only when the options say so, by the policy of
    /// detail::follow_redirect (the same for both adapters).
    result<http::http_response> operator()(const http::http_request& request) const {
        const transport_options& o = state_->options;
        OBAUTH_TRY_VOID(detail::check_request(request, o));
        const auto deadline = detail::steady::now() + o.timeout;
        detail::hop h(request);
        for (unsigned hops = 0;; ++hops) {
            const wiping_string wire =
                detail::serialize_request(h.method, h.url, h.headers, h.body, o);
            auto r =
                detail::beast_round_trip(*state_, h.url, wire, h.use_client_certificate, deadline);
            if (!r || !o.follow_redirects || !detail::is_redirect(r->status))
                return r;
            const wiping_string* location = r->header("Location");
            if (location == nullptr)
                return r;
            if (hops >= o.max_redirects)
                return make_error(errc::too_many_redirects);
            OBAUTH_TRY_VOID(detail::follow_redirect(h, r->status, *location, o));
        }
    }

private:
    explicit beast_transport(std::shared_ptr<detail::beast_state> s) noexcept
        : state_(std::move(s)) {}

    std::shared_ptr<detail::beast_state> state_;
};

} // namespace obauth::transport
