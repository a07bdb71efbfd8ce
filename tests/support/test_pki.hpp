// Certificates for tests that need TLS peers: the local bank's make-pki.sh
// (OpenSSL command line) run once per name and process into a fresh
// temporary folder. Each name is its own CA (named after it) with a server certificate for
// 127.0.0.1 and client certificates (see make-pki.sh for the files).
#pragma once

#include <cstdlib>
#include <map>
#include <mutex>
#include <string>

namespace obauth::test {

class test_pki {
public:
    /// The PKI named `name`, made on first use; empty dir() when making it failed.
    static const test_pki& get(const std::string& name) {
        static std::mutex mu;
        static std::map<std::string, test_pki> made;
        std::lock_guard<std::mutex> lock(mu);
        auto it = made.find(name);
        if (it == made.end())
            it = made.emplace(name, test_pki(name)).first;
        return it->second;
    }

    const std::string& dir() const { return dir_; }
    std::string file(const char* name) const { return dir_ + "/" + name; }

private:
    explicit test_pki(const std::string& name) {
        char tmpl[] = "/tmp/obauth-pki-XXXXXX";
        if (::mkdtemp(tmpl) == nullptr)
            return;
        const std::string dir = std::string(tmpl) + "/" + name;
        const std::string cmd = std::string("sh '") + OBAUTH_TEST_DATA_DIR +
                                "/../interop/bank/make-pki.sh' '" + dir + "' 'obauth test CA " +
                                name + "'";
        if (std::system(cmd.c_str()) == 0)
            dir_ = dir;
    }

    std::string dir_;
};

} // namespace obauth::test
