// A real redis-server (Debian's) for the store adapter's tests: started on
// 127.0.0.1 on a free port, without persistence, with a password and an ACL
// user; stopped by the destructor, and killed with the test process if that
// dies first (PR_SET_PDEATHSIG). stop() and start() again (same port) let a
// test take Redis away in the middle. No exceptions (the tests also build
// with -fno-exceptions): start() says whether Redis runs, error() why not.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace test_redis {

class redis_server {
public:
    static constexpr const char* password = "redis-test-password-7f3a";
    static constexpr const char* acl_user = "gateway";
    static constexpr const char* acl_password = "gateway-test-password-91c2";

    redis_server() : port_(free_port()) {
        if (port_ == 0)
            error_ = "no free port";
        else
            start();
    }
    redis_server(const redis_server&) = delete;
    redis_server& operator=(const redis_server&) = delete;
    ~redis_server() { stop(); }

    int port() const noexcept { return port_; }
    bool running() const noexcept { return pid_ > 0; }
    const std::string& error() const noexcept { return error_; }

    bool start() {
        if (pid_ > 0)
            return true;
        const std::string port = std::to_string(port_);
        const std::string user = std::string(acl_user);
        const std::string pass = std::string(">") + acl_password;
        std::vector<std::string> args = {"redis-server", "--port",      port,   "--bind",
                                         "127.0.0.1",    "--save",      "",     "--appendonly",
                                         "no",           "--daemonize", "no",   "--loglevel",
                                         "warning",      "--logfile",   "",     "--requirepass",
                                         password,       "--user",      user,   "on",
                                         pass,           "~obauth:*",   "+@all"};
        const pid_t pid = fork();
        if (pid < 0) {
            error_ = "fork failed";
            return false;
        }
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            std::vector<char*> argv;
            for (auto& a : args)
                argv.push_back(a.data());
            argv.push_back(nullptr);
            execvp("redis-server", argv.data());
            std::perror("redis-server");
            _exit(127);
        }
        pid_ = pid;
        // Ready when it accepts connections.
        for (int i = 0; i < 200; ++i) {
            if (accepts())
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        stop();
        error_ = "redis-server did not start (is Debian's redis-server installed?)";
        return false;
    }

    void stop() {
        if (pid_ <= 0)
            return;
        kill(pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
        // Wait until the port is closed, so that start() binds it again.
        for (int i = 0; i < 200 && accepts(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }

private:
    static int free_port() {
        const int s = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        const bool ok = s >= 0 && bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                        getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0;
        if (s >= 0)
            close(s);
        return ok ? ntohs(a.sin_port) : 0;
    }

    bool accepts() const {
        const int s = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(static_cast<std::uint16_t>(port_));
        const bool ok = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        close(s);
        return ok;
    }

    int port_;
    pid_t pid_ = -1;
    std::string error_;
};

} // namespace test_redis
