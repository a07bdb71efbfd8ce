// Several processes at once, as on several machines: fork `count` children,
// each runs `child` (with its index) and writes what it returns to a pipe;
// the parent collects every answer in order. A child that dies or exits
// non-zero answers "exit <status>". Start shared servers before calling
// this: a child inherits them, it must not start its own.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace test_processes {

inline std::vector<std::string> run(int count, const std::function<std::string(int)>& child) {
    std::vector<std::pair<pid_t, int>> children;
    for (int p = 0; p < count; ++p) {
        int fds[2];
        if (pipe(fds) != 0)
            return {};
        const pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            const std::string out = child(p);
            std::size_t sent = 0;
            while (sent < out.size()) {
                const ssize_t n = write(fds[1], out.data() + sent, out.size() - sent);
                if (n <= 0)
                    _exit(1);
                sent += static_cast<std::size_t>(n);
            }
            _exit(0);
        }
        close(fds[1]);
        if (pid < 0) {
            close(fds[0]);
            return {};
        }
        children.emplace_back(pid, fds[0]);
    }
    std::vector<std::string> answers;
    for (auto [pid, fd] : children) {
        std::string out;
        char buf[4096];
        for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
            out.append(buf, static_cast<std::size_t>(n));
        close(fd);
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            out = "exit " + std::to_string(status);
        answers.push_back(std::move(out));
    }
    return answers;
}

} // namespace test_processes
