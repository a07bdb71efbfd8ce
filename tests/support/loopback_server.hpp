// A real HTTP/1.1 peer on 127.0.0.1 for the transport adapters' tests: a
// thread with a listening socket that reads each request (headers and a
// Content-Length body), records it, and writes back whatever raw bytes the
// test's handler returns, so malformed and hostile responses are as easy to
// produce as good ones. Stopped and joined by its destructor.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
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
#include <vector>

namespace obauth::test {

class loopback_server {
public:
    /// What to send back for one request (the raw request as received).
    /// `hang` keeps the connection open without answering until the server
    /// stops; `close` closes it without a byte.
    struct reply {
        std::string bytes;
        bool hang = false;
    };
    using handler = std::function<reply(const std::string& request)>;

    explicit loopback_server(handler h) : handler_(std::move(h)) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = 0;
        ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(fd_, 16);
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    loopback_server(const loopback_server&) = delete;
    loopback_server& operator=(const loopback_server&) = delete;
    ~loopback_server() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }

    std::uint16_t port() const { return port_; }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

    std::vector<std::string> requests() const {
        std::lock_guard<std::mutex> lock(mu_);
        return requests_;
    }

    /// A complete response with Content-Length.
    static reply respond(int status, const std::string& body,
                         const std::string& extra_headers = "Content-Type: application/json\r\n") {
        return {"HTTP/1.1 " + std::to_string(status) + " X\r\n" + extra_headers +
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body,
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

    // Reads one request: up to the blank line, then Content-Length bytes.
    bool read_request(int c, std::string& req) const {
        char buf[4096];
        std::size_t need = std::string::npos;
        while (need == std::string::npos || req.size() < need) {
            if (!wait_readable(c))
                return false;
            const ssize_t n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0)
                return false;
            req.append(buf, static_cast<std::size_t>(n));
            if (req[0] == '\x16') // a TLS ClientHello: answer it with whatever the test says
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
            const int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0)
                continue;
            std::string req;
            if (read_request(c, req)) {
                {
                    std::lock_guard<std::mutex> lock(mu_);
                    requests_.push_back(req);
                }
                const reply r = handler_(req);
                if (r.hang) {
                    while (!stop_)
                        std::this_thread::sleep_for(std::chrono::milliseconds(10));
                } else {
                    std::size_t sent = 0;
                    while (sent < r.bytes.size()) {
                        const ssize_t n =
                            ::send(c, r.bytes.data() + sent, r.bytes.size() - sent, MSG_NOSIGNAL);
                        if (n <= 0)
                            break;
                        sent += static_cast<std::size_t>(n);
                    }
                }
            }
            ::shutdown(c, SHUT_WR);
            ::close(c);
        }
    }

    handler handler_;
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mu_;
    std::vector<std::string> requests_;
    std::thread thread_;
};

} // namespace obauth::test
