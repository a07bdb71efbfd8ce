// What both transport adapters promise against a hostile or careless network
// (issue 19): redirects to another origin carry nothing that identifies the
// client, a configured CA file is the only trust anchor, a server cannot make
// the client buffer without bound, and nothing but the options (no
// environment variable) chooses a proxy. A second typed suite beside
// transport_contract.hpp, instantiated by curl_test.cpp and beast_test.cpp.
#pragma once

#include <obauth/http/url.hpp>
#include <obauth/transport/error.hpp>
#include <obauth/transport/options.hpp>

#include "support/connect_proxy.hpp"
#include "support/loopback_server.hpp"
#include "support/test_pki.hpp"
#include "transport/transport_contract.hpp"

#include <gtest/gtest.h>

#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace obauth::test {

/// Options that trust the test CA `pki` and present its client certificate.
inline transport_options tls_options(const test_pki& pki) {
    transport_options o = loopback_options();
    o.ca_file = pki.file("ca.pem");
    o.client_certificate =
        transport::client_identity{pki.file("client.pem"), pki.file("client.key"), {}};
    return o;
}

inline loopback_server::tls_files server_files(const test_pki& pki) {
    return {pki.file("server.pem"), pki.file("server.key")};
}

/// Peak resident memory of this process so far, in KiB.
inline long peak_rss_kib() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

/// Runs the test `child` of the current test suite in a fresh process (this
/// binary, exec'd) with only `env` as its environment. With `store`, the
/// process runs in a private mount namespace where that folder stands in
/// for the system's trust store (/etc/ssl/certs). Returns its exit status.
inline int run_child_test(const std::string& child, const std::vector<std::string>& env,
                          const std::string& store = {}) {
    // Everything is made before fork(): after it, only system calls.
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string filter =
        std::string("--gtest_filter=") + info->test_suite_name() + "." + child;
    std::vector<std::string> vars = env;
    vars.emplace_back("PATH=/usr/bin:/bin");
    std::vector<char*> envp;
    for (auto& v : vars)
        envp.push_back(v.data());
    envp.push_back(nullptr);
    std::string self = "/proc/self/exe";
    char* const argv[] = {self.data(), const_cast<char*>(filter.c_str()), nullptr};
    const pid_t pid = ::fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (!store.empty() &&
            (::unshare(CLONE_NEWNS) != 0 ||
             ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
             ::mount(store.c_str(), "/etc/ssl/certs", nullptr, MS_BIND, nullptr) != 0))
            ::_exit(10);
        ::execve("/proc/self/exe", argv, envp.data());
        ::_exit(11);
    }
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

template <class Transport>
class TransportSecurity : public TransportContract<Transport> {};
TYPED_TEST_SUITE_P(TransportSecurity);

// Regression (issue 19, item 1): a 307 from the token endpoint to another
// origin re-sent the body, every header and the client certificate there.
TYPED_TEST_P(TransportSecurity, RedirectsToAnotherOriginCarryNothingOfTheClient) {
    const test_pki& pki = test_pki::get("redirects");
    ASSERT_FALSE(pki.dir().empty());
    const auto files = server_files(pki);
    loopback_server other([](const std::string&) { return loopback_server::respond(200, "B"); },
                          &files);
    const std::string to_other = other.base();
    loopback_server origin(
        [&](const std::string& req) {
            const std::string path =
                req.substr(req.find(' ') + 1, req.find(" HTTP/") - req.find(' ') - 1);
            auto go = [](int status, const std::string& where) {
                return loopback_server::reply{"HTTP/1.1 " + std::to_string(status) +
                                              " R\r\nLocation: " + where +
                                              "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"};
            };
            if (path == "/307" || path == "/308")
                return go(std::stoi(path.substr(1)), to_other + "/moved");
            if (path == "/303" || path == "/302")
                return go(std::stoi(path.substr(1)), to_other + "/moved");
            if (path == "/same")
                return go(307, "/here");
            if (path == "/away-and-back")
                return go(302, to_other + "/back");
            return loopback_server::respond(200, "A");
        },
        &files);
    transport_options o = tls_options(pki);
    o.follow_redirects = true;
    auto t = this->make(std::move(o));

    http::http_request post = get_request(origin.base() + "/307");
    post.method = http::http_method::post;
    post.use_client_certificate = true;
    post.headers = {{"Content-Type", "application/json"},
                    {"Authorization", "Basic c2VjcmV0OnNlY3JldA=="},
                    {"Finicity-App-Key", "app-key-value"},
                    {"Accept", "application/json"}};
    post.body = R"({"partnerId":"p","partnerSecret":"the-client-secret"})";
    for (const char* status : {"/307", "/308"}) {
        post.url = http::parse_url(origin.base() + status, {true, true}).value();
        auto r = t(post);
        ASSERT_FALSE(r) << status;
        EXPECT_EQ(r.error().code, errc::redirect_would_send_body) << r.error().to_string();
    }
    EXPECT_TRUE(other.requests().empty());

    // 303 (and 302 after POST) become a GET without a body; only the
    // allow-listed fields and no certificate go to the other origin.
    for (const char* status : {"/303", "/302"}) {
        post.url = http::parse_url(origin.base() + status, {true, true}).value();
        auto r = t(post);
        ASSERT_TRUE(r) << r.error().to_string();
        EXPECT_EQ(r->body, "B");
    }
    // A GET that asked for the certificate loses it across origins too.
    http::http_request get = post;
    get.method = http::http_method::get;
    get.body.clear();
    get.url = http::parse_url(origin.base() + "/away-and-back", {true, true}).value();
    ASSERT_TRUE(t(get));
    const auto seen = other.requests();
    const auto certs = other.client_certificates();
    ASSERT_EQ(seen.size(), 3u);
    for (std::size_t i = 0; i < seen.size(); ++i) {
        EXPECT_EQ(seen[i].rfind("GET /", 0), 0u) << seen[i];
        for (const char* leaked : {"the-client-secret", "c2VjcmV0", "app-key-value", "Content-Type",
                                   "Authorization", "Finicity"})
            EXPECT_EQ(seen[i].find(leaked), std::string::npos) << leaked << " in " << seen[i];
        EXPECT_NE(seen[i].find("\r\nAccept: application/json\r\n"), std::string::npos) << seen[i];
        EXPECT_FALSE(certs[i]) << "the client certificate went to another origin: " << seen[i];
    }
    // The origin itself saw the certificate every time.
    for (const bool c : origin.client_certificates())
        EXPECT_TRUE(c);

    // Same origin: today's behaviour, body, fields and certificate kept.
    post.url = http::parse_url(origin.base() + "/same", {true, true}).value();
    auto r = t(post);
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(r->body, "A");
    const auto at_origin = origin.requests();
    const std::string& again = at_origin.back();
    EXPECT_EQ(again.rfind("POST /here ", 0), 0u) << again;
    EXPECT_NE(again.find("the-client-secret"), std::string::npos);
    EXPECT_NE(again.find("\r\nFinicity-App-Key: app-key-value\r\n"), std::string::npos);
    EXPECT_TRUE(origin.client_certificates().back());
}

// Regression (issue 19, item 2): with ca_file set, Debian's libcurl still
// trusted every CA in /etc/ssl/certs. A private mount namespace stands in
// for the system store: a CA placed there is trusted without ca_file and
// refused with it. The requests run in a fresh process (this test binary,
// exec'd into the namespace, running CaFileChild).
TYPED_TEST_P(TransportSecurity, CaFileIsTheOnlyTrustAnchor) {
    if (::geteuid() != 0)
        GTEST_SKIP() << "needs root for a private mount namespace";
    const test_pki& system = test_pki::get("system-store");
    const test_pki& pinned = test_pki::get("pinned");
    ASSERT_FALSE(system.dir().empty());
    ASSERT_FALSE(pinned.dir().empty());
    const std::string store = system.dir() + "/store";
    const std::string prepare = "mkdir -p '" + store + "' && cp '" + system.file("ca.pem") + "' '" +
                                store + "/ca-certificates.crt' && cp '" + system.file("ca.pem") +
                                "' '" + store + "/test-ca.pem' && " + "openssl rehash '" + store +
                                "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(prepare.c_str()), 0);
    const auto files = server_files(system);
    loopback_server server([](const std::string&) { return loopback_server::respond(200, "ok"); },
                           &files);

    EXPECT_EQ(run_child_test("CaFileChild",
                             {"OBAUTH_CHILD_URL=" + server.base() + "/",
                              "OBAUTH_CHILD_PINNED=" + pinned.file("ca.pem")},
                             store),
              0)
        << "10: no private mount namespace; otherwise CaFileChild failed (its output above)";
}

// The child of CaFileIsTheOnlyTrustAnchor; skipped when run on its own.
TYPED_TEST_P(TransportSecurity, CaFileChild) {
    const char* url = std::getenv("OBAUTH_CHILD_URL");
    const char* pinned = std::getenv("OBAUTH_CHILD_PINNED");
    if (url == nullptr || pinned == nullptr)
        GTEST_SKIP() << "run by CaFileIsTheOnlyTrustAnchor inside a mount namespace";
    auto a = this->make(loopback_options())(get_request(url));
    ASSERT_TRUE(a) << "the stand-in system store is not used: " << a.error().to_string();
    EXPECT_EQ(a->status, 200);
    transport_options pin = loopback_options();
    pin.ca_file = pinned;
    auto b = this->make(std::move(pin))(get_request(url));
    ASSERT_FALSE(b) << "a CA outside ca_file was trusted";
    EXPECT_EQ(b.error().code, errc::tls_failed) << b.error().to_string();
}

// Regression (issue 19, item 3): Boost 1.81 applied neither limit to chunk
// extensions and trailers, and its read buffer grew without bound: a 400 MB
// chunk extension grew the process past 500 MB with a 1 MB body limit.
TYPED_TEST_P(TransportSecurity, ChunkExtensionAndTrailerBombsStayBounded) {
    transport_options o = loopback_options();
    o.timeout = std::chrono::milliseconds(20000);
    auto t = this->make(std::move(o));
    const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::string block(64 * 1024, 'e');
    loopback_server extension([&](const std::string&) {
        loopback_server::reply r{head + "1;ext="};
        r.repeat = block;
        r.repeat_count = 4096; // 256 MiB
        r.tail = "\r\nx\r\n0\r\n\r\n";
        return r;
    });
    loopback_server trailer([&](const std::string&) {
        loopback_server::reply r{head + "1\r\nx\r\n0\r\nX-Bomb: "};
        r.repeat = block;
        r.repeat_count = 4096;
        r.tail = "\r\n\r\n";
        return r;
    });
    for (loopback_server* bomb : {&extension, &trailer}) {
        const long before = peak_rss_kib();
        auto r = t(get_request(bomb->base() + "/"));
        const long grown_kib = peak_rss_kib() - before;
        EXPECT_LT(grown_kib, 64 * 1024) << "the response buffer grew with the bomb";
        const char* what = bomb == &extension ? "chunk extension" : "trailer";
        ASSERT_FALSE(r) << "a 256 MiB " << what << " was accepted";
        EXPECT_EQ(r.error().code, errc::response_too_large)
            << what << ": " << r.error().to_string();
    }
}

// Regression (issue 19, item 4): the curl adapter took a proxy from
// http_proxy / HTTPS_PROXY. Only the options name a proxy, and then every
// request goes through a CONNECT tunnel.
TYPED_TEST_P(TransportSecurity, OnlyTheOptionsChooseAProxy) {
    const test_pki& pki = test_pki::get("proxy");
    ASSERT_FALSE(pki.dir().empty());
    const auto files = server_files(pki);
    loopback_server server([](const std::string&) { return loopback_server::respond(200, "ok"); },
                           &files);
    connect_proxy trap;
    for (const char* name :
         {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"})
        ::setenv(name, trap.url().c_str(), 1);
    ::setenv("NO_PROXY", "", 1);
    auto direct = this->make(tls_options(pki))(get_request(server.base() + "/direct"));
    for (const char* name : {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                             "all_proxy", "NO_PROXY"})
        ::unsetenv(name);
    ASSERT_TRUE(direct) << direct.error().to_string();
    EXPECT_TRUE(trap.request_lines().empty());

    connect_proxy proxy;
    transport_options via = tls_options(pki);
    via.proxy = proxy.url();
    auto t = this->make(std::move(via));
    http::http_request mtls = get_request(server.base() + "/via");
    mtls.use_client_certificate = true;
    auto r = t(mtls);
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(r->body, "ok");
    const auto lines = proxy.request_lines();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0], "CONNECT 127.0.0.1:" + std::to_string(server.port()) + " HTTP/1.1");
    EXPECT_TRUE(server.client_certificates().back()); // TLS ran end to end

    connect_proxy refusing(true);
    transport_options refused = tls_options(pki);
    refused.proxy = refusing.url();
    r = this->make(std::move(refused))(get_request(server.base() + "/no"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::proxy_failed) << r.error().to_string();

    for (const char* bad : {"https://127.0.0.1:3128", "http://user:pw@127.0.0.1:3128",
                            "http://127.0.0.1", "127.0.0.1:3128", "http://127.0.0.1:3128/x"}) {
        transport_options o = loopback_options();
        o.proxy = bad;
        EXPECT_EQ(TypeParam::create(std::move(o)).error().code, errc::invalid_options) << bad;
    }
}

// Regression (issue 19, item 4): the curl adapter set no minimum TLS
// version, so a system OpenSSL configuration that allows TLS 1.0/1.1 (as
// some do for old peers) let it negotiate one. The child runs with such a
// configuration against a server that offers at most TLS 1.1.
TYPED_TEST_P(TransportSecurity, TlsBelow12IsRefusedWhateverTheSystemAllows) {
    const test_pki& pki = test_pki::get("old-tls");
    ASSERT_FALSE(pki.dir().empty());
    const std::string conf = pki.dir() + "/permissive.cnf";
    {
        std::FILE* f = std::fopen(conf.c_str(), "w");
        ASSERT_NE(f, nullptr);
        std::fputs("openssl_conf = init\n[init]\nssl_conf = ssl\n[ssl]\nsystem_default = tls\n"
                   "[tls]\nMinProtocol = TLSv1\nCipherString = DEFAULT@SECLEVEL=0\n",
                   f);
        std::fclose(f);
    }
    auto files = server_files(pki);
    files.max_version = TLS1_1_VERSION;
    loopback_server old([](const std::string&) { return loopback_server::respond(200, "ok"); },
                        &files);
    EXPECT_EQ(run_child_test("TlsFloorChild",
                             {"OBAUTH_CHILD_URL=" + old.base() + "/",
                              "OBAUTH_CHILD_PINNED=" + pki.file("ca.pem"), "OPENSSL_CONF=" + conf}),
              0);
    EXPECT_TRUE(old.requests().empty()) << "a request went over TLS 1.1";
}

// The child of TlsBelow12IsRefusedWhateverTheSystemAllows; skipped on its own.
TYPED_TEST_P(TransportSecurity, TlsFloorChild) {
    const char* url = std::getenv("OBAUTH_CHILD_URL");
    const char* ca = std::getenv("OBAUTH_CHILD_PINNED");
    if (url == nullptr || ca == nullptr)
        GTEST_SKIP() << "run by TlsBelow12IsRefusedWhateverTheSystemAllows";
    transport_options o = loopback_options();
    o.ca_file = ca;
    auto r = this->make(std::move(o))(get_request(url));
    ASSERT_FALSE(r) << "TLS 1.1 was negotiated";
    EXPECT_EQ(r.error().code, errc::tls_failed) << r.error().to_string();
}

// Regression (issue 19, item 4): the Beast adapter wrote user_agent into the
// request without the CR/LF check other header values get.
TYPED_TEST_P(TransportSecurity, UserAgentCannotInjectFields) {
    transport_options o = loopback_options();
    o.user_agent = "obauth\r\nX-Injected: 1";
    EXPECT_EQ(TypeParam::create(std::move(o)).error().code, errc::invalid_options);
}

REGISTER_TYPED_TEST_SUITE_P(TransportSecurity, RedirectsToAnotherOriginCarryNothingOfTheClient,
                            CaFileIsTheOnlyTrustAnchor, CaFileChild,
                            ChunkExtensionAndTrailerBombsStayBounded, OnlyTheOptionsChooseAProxy,
                            TlsBelow12IsRefusedWhateverTheSystemAllows, TlsFloorChild,
                            UserAgentCannotInjectFields);

} // namespace obauth::test
