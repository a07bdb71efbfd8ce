// A minimal HTTP proxy on 127.0.0.1 for the transport tests: it answers
// CONNECT requests (RFC 9110 §9.3.6) by opening a tunnel to 127.0.0.1 and
// relaying bytes both ways, or refuses them with 403 when told to. It
// records every request line. One connection at a time; stopped and joined
// by its destructor.
#pragma once

#include "loopback_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace obauth::test {

class connect_proxy {
public:
    explicit connect_proxy(bool refuse = false) : refuse_(refuse) {
        fd_ = listen_on_loopback(port_);
        thread_ = std::thread([this] { serve(); });
    }
    connect_proxy(const connect_proxy&) = delete;
    connect_proxy& operator=(const connect_proxy&) = delete;
    ~connect_proxy() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::vector<std::string> request_lines() const {
        std::lock_guard<std::mutex> lock(mu_);
        return lines_;
    }

private:
    bool readable(int fd, int ms) const {
        pollfd p{fd, POLLIN, 0};
        return ::poll(&p, 1, ms) > 0;
    }

    void serve() {
        while (!stop_) {
            if (!readable(fd_, 20))
                continue;
            const int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0)
                continue;
            std::string head;
            char buf[4096];
            while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536 &&
                   readable(c, 2000)) {
                const ssize_t n = ::recv(c, buf, sizeof buf, 0);
                if (n <= 0)
                    break;
                head.append(buf, static_cast<std::size_t>(n));
            }
            const std::string line = head.substr(0, head.find("\r\n"));
            {
                std::lock_guard<std::mutex> lock(mu_);
                lines_.push_back(line);
            }
            const auto colon = line.rfind(':');
            if (refuse_ || line.rfind("CONNECT 127.0.0.1:", 0) != 0 || colon == std::string::npos) {
                const std::string no = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n";
                ::send(c, no.data(), no.size(), MSG_NOSIGNAL);
                ::close(c);
                continue;
            }
            const int s = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            a.sin_port = htons(static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1))));
            if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
                const std::string yes = "HTTP/1.1 200 Connection established\r\n\r\n";
                ::send(c, yes.data(), yes.size(), MSG_NOSIGNAL);
                relay(c, s);
            }
            ::close(s);
            ::close(c);
        }
    }

    void relay(int a, int b) const {
        char buf[16384];
        while (!stop_) {
            pollfd p[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
            if (::poll(p, 2, 20) <= 0)
                continue;
            for (int i = 0; i < 2; ++i) {
                if ((p[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
                    continue;
                const ssize_t n = ::recv(p[i].fd, buf, sizeof buf, 0);
                if (n <= 0 ||
                    ::send(i == 0 ? b : a, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n)
                    return;
            }
        }
    }

    bool refuse_;
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mu_;
    std::vector<std::string> lines_;
    std::thread thread_;
};

} // namespace obauth::test
