// A real HTTP/1.1 peer on 127.0.0.1 for the transport adapters' tests: a
// thread with a listening socket that reads each request (headers and a
// Content-Length body), records it, and writes back whatever raw bytes the
// test's handler returns, so malformed and hostile responses are as easy to
// produce as good ones. With a certificate and key it speaks TLS (and asks
// for a client certificate, recording whether one came). Stopped and joined
// by its destructor.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace obauth::test {

/// A listening TCP socket on 127.0.0.1 and a free port, for the test servers.
inline int listen_on_loopback(std::uint16_t& port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd, 16);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    return fd;
}

class loopback_server {
public:
    /// What to send back for one request (the raw request as received).
    /// `hang` keeps the connection open without answering until the server
    /// stops; `close` closes it without a byte.
    struct reply {
        reply(std::string b = {}, bool h = false) : bytes(std::move(b)), hang(h) {}
        std::string bytes;
        bool hang = false;
        /// Sent `repeat_count` times after `bytes` (a bomb without holding it
        /// in memory), then `tail`; stops early when the client goes away.
        std::string repeat;
        std::size_t repeat_count = 0;
        std::string tail;
    };
    /// TLS: the server's certificate chain and key (PEM files).
    struct tls_files {
        std::string certificate, key;
        int max_version = 0; ///< e.g. TLS1_1_VERSION: an outdated server (security level 0)
    };
    using handler = std::function<reply(const std::string& request)>;

    explicit loopback_server(handler h, const tls_files* tls = nullptr) : handler_(std::move(h)) {
        if (tls != nullptr) {
            ctx_ = SSL_CTX_new(TLS_server_method());
            SSL_CTX_use_certificate_chain_file(ctx_, tls->certificate.c_str());
            SSL_CTX_use_PrivateKey_file(ctx_, tls->key.c_str(), SSL_FILETYPE_PEM);
            if (tls->max_version != 0) {
                SSL_CTX_set_security_level(ctx_, 0);
                SSL_CTX_set_min_proto_version(ctx_, TLS1_VERSION);
                SSL_CTX_set_max_proto_version(ctx_, tls->max_version);
            }
            // Ask for a client certificate, accept any: the tests look at
            // whether one was presented.
            SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
            // Clients resume sessions; OpenSSL refuses that with client
            // verification unless the sessions have a context.
            static const unsigned char context[] = "obauth-test";
            SSL_CTX_set_session_id_context(ctx_, context, sizeof context - 1);
        }
        fd_ = listen_on_loopback(port_);
        thread_ = std::thread([this] { serve(); });
    }
    loopback_server(const loopback_server&) = delete;
    loopback_server& operator=(const loopback_server&) = delete;
    ~loopback_server() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
        SSL_CTX_free(ctx_);
    }

    std::uint16_t port() const { return port_; }
    std::string base() const {
        return (ctx_ != nullptr ? "https://127.0.0.1:" : "http://127.0.0.1:") +
               std::to_string(port_);
    }

    std::vector<std::string> requests() const {
        std::lock_guard<std::mutex> lock(mu_);
        return requests_;
    }
    /// For each request, whether the client presented a certificate (TLS).
    std::vector<bool> client_certificates() const {
        std::lock_guard<std::mutex> lock(mu_);
        return client_certificates_;
    }

    /// A complete response with Content-Length.
    static reply respond(int status, const std::string& body,
                         const std::string& extra_headers = "Content-Type: application/json\r\n") {
        return {"HTTP/1.1 " + std::to_string(status) + " X\r\nConnection: close\r\n" +
                    extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                    body,
                false};
    }

    /// A port nothing listens on (bound, then released).
    static std::uint16_t closed_port() {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        socklen_t len = sizeof a;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        ::close(fd);
        return ntohs(a.sin_port);
    }

private:
    bool wait_readable(int fd) const {
        while (!stop_) {
            pollfd p{fd, POLLIN, 0};
            const int n = ::poll(&p, 1, 20);
            if (n > 0)
                return true;
            if (n < 0)
                return false;
        }
        return false;
    }

    struct connection {
        int fd;
        SSL* ssl = nullptr;
        long recv(char* buf, std::size_t n) const {
            if (ssl != nullptr)
                return SSL_read(ssl, buf, static_cast<int>(n));
            return ::recv(fd, buf, n, 0);
        }
        long send(const char* data, std::size_t n) const {
            if (ssl != nullptr)
                return SSL_write(ssl, data, static_cast<int>(n));
            return ::send(fd, data, n, MSG_NOSIGNAL);
        }
        bool send_all(const std::string& bytes) const {
            std::size_t sent = 0;
            while (sent < bytes.size()) {
                const long n = send(bytes.data() + sent, bytes.size() - sent);
                if (n <= 0)
                    return false;
                sent += static_cast<std::size_t>(n);
            }
            return true;
        }
    };

    // Reads one request: up to the blank line, then Content-Length bytes.
    bool read_request(const connection& c, std::string& req) const {
        char buf[4096];
        std::size_t need = std::string::npos;
        while (need == std::string::npos || req.size() < need) {
            if ((c.ssl == nullptr || SSL_pending(c.ssl) == 0) && !wait_readable(c.fd))
                return false;
            const long n = c.recv(buf, sizeof buf);
            if (n <= 0)
                return false;
            req.append(buf, static_cast<std::size_t>(n));
            if (c.ssl == nullptr &&
                req[0] == '\x16') // a TLS ClientHello: answer it with whatever the test says
                return true;
            const auto end = req.find("\r\n\r\n");
            if (need == std::string::npos && end != std::string::npos) {
                std::size_t length = 0;
                std::string lower = req.substr(0, end);
                for (char& ch : lower)
                    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                const auto cl = lower.find("\r\ncontent-length:");
                if (cl != std::string::npos)
                    length = std::stoul(lower.substr(cl + 17));
                need = end + 4 + length;
            }
        }
        return true;
    }

    void serve() {
        while (!stop_) {
            if (!wait_readable(fd_))
                break;
            const int fd = ::accept(fd_, nullptr, nullptr);
            if (fd < 0)
                continue;
            timeval limit{5, 0}; // never wait on a silent client for ever
            ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
            connection c{fd};
            bool certificate = false;
            if (ctx_ != nullptr) {
                c.ssl = SSL_new(ctx_);
                SSL_set_fd(c.ssl, fd);
                if (SSL_accept(c.ssl) != 1) {
                    SSL_free(c.ssl);
                    ::close(fd);
                    continue;
                }
                X509* peer = SSL_get1_peer_certificate(c.ssl);
                certificate = peer != nullptr;
                X509_free(peer);
            }
            std::string req;
            if (read_request(c, req)) {
                {
                    std::lock_guard<std::mutex> lock(mu_);
                    requests_.push_back(req);
                    client_certificates_.push_back(certificate);
                }
                const reply r = handler_(req);
                if (r.hang) {
                    while (!stop_)
                        std::this_thread::sleep_for(std::chrono::milliseconds(10));
                } else if (c.send_all(r.bytes)) {
                    bool ok = true;
                    for (std::size_t i = 0; ok && i < r.repeat_count && !stop_; ++i)
                        ok = c.send_all(r.repeat);
                    if (ok)
                        c.send_all(r.tail);
                }
            }
            if (c.ssl != nullptr) {
                SSL_shutdown(c.ssl);
                SSL_free(c.ssl);
            }
            ::shutdown(fd, SHUT_WR);
            ::close(fd);
        }
    }

    handler handler_;
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mu_;
    std::vector<std::string> requests_;
    std::vector<bool> client_certificates_;
    SSL_CTX* ctx_ = nullptr;
    std::thread thread_;
};

} // namespace obauth::test
