// The behaviour both transport adapters promise, as one typed test suite:
// curl_test.cpp and beast_test.cpp instantiate it. Every case talks to a
// real socket server on 127.0.0.1 (support/loopback_server.hpp).
#pragma once

#include <obauth/http/error.hpp>
#include <obauth/http/url.hpp>
#include <obauth/transport/error.hpp>
#include <obauth/transport/options.hpp>

#include "support/loopback_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace obauth::test {

using transport::errc;
using transport::transport_options;

inline transport_options loopback_options() {
    transport_options o;
    o.allow_http_loopback = true;
    o.connect_timeout = std::chrono::milliseconds(2000);
    o.timeout = std::chrono::milliseconds(3000);
    return o;
}

inline http::http_request get_request(const std::string& url) {
    http::http_request r;
    r.url = http::parse_url(url, {true, true}).value();
    return r;
}

template <class Transport>
class TransportContract : public ::testing::Test {
protected:
    static Transport make(transport_options o = loopback_options()) {
        auto t = Transport::create(std::move(o));
        EXPECT_TRUE(t) << t.error().to_string();
        return std::move(*t);
    }
};
TYPED_TEST_SUITE_P(TransportContract);

TYPED_TEST_P(TransportContract, SendsTheRequestAsGivenAndReturnsTheResponse) {
    loopback_server server([](const std::string&) {
        return loopback_server::respond(201, R"({"ok":true})",
                                        "Content-Type: application/json\r\nX-Trace: a\r\n"
                                        "X-Trace: b\r\nCache-Control: no-store\r\n");
    });
    auto t = this->make();
    http::http_request r = get_request(server.base() + "/token?x=1%202");
    r.method = http::http_method::post;
    r.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                 {"Authorization", "Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW"},
                 {"Accept", "application/json"}};
    r.body = "grant_type=client_credentials&scope=accounts";
    auto resp = t(r);
    ASSERT_TRUE(resp) << resp.error().to_string();
    EXPECT_EQ(resp->status, 201);
    EXPECT_EQ(resp->body, R"({"ok":true})");
    ASSERT_NE(resp->header("content-type"), nullptr);
    EXPECT_EQ(*resp->header("content-type"), "application/json");
    EXPECT_EQ(http::combined_header(resp->headers, "X-Trace"), "a, b");

    const auto seen = server.requests();
    ASSERT_EQ(seen.size(), 1u);
    const std::string& q = seen[0];
    EXPECT_EQ(q.rfind("POST /token?x=1%202 HTTP/1.1\r\n", 0), 0u) << q;
    EXPECT_NE(q.find("\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
              std::string::npos);
    EXPECT_NE(q.find("\r\nAuthorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW\r\n"),
              std::string::npos);
    EXPECT_NE(q.find("\r\nContent-Type: application/x-www-form-urlencoded\r\n"), std::string::npos);
    EXPECT_NE(q.find("\r\nContent-Length: 44\r\n"), std::string::npos);
    EXPECT_EQ(q.find("Expect:"), std::string::npos);
    EXPECT_EQ(q.substr(q.size() - 44), r.body);
}

TYPED_TEST_P(TransportContract, ReturnsErrorStatusesAsResponses) {
    loopback_server server([](const std::string&) {
        return loopback_server::respond(401, R"({"error":"invalid_client"})",
                                        "Content-Type: application/json\r\n"
                                        "WWW-Authenticate: Basic realm=\"x\"\r\n");
    });
    auto resp = this->make()(get_request(server.base() + "/"));
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->status, 401);
    EXPECT_EQ(resp->body, R"({"error":"invalid_client"})");
    ASSERT_NE(resp->header("WWW-Authenticate"), nullptr);
}

TYPED_TEST_P(TransportContract, RefusesBeforeSending) {
    loopback_server server([](const std::string&) { return loopback_server::respond(200, "{}"); });
    auto strict = this->make(transport_options{});
    auto r = strict(get_request(server.base() + "/")); // http without allow_http_loopback
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, http::errc::insecure_url);

    auto t = this->make();
    http::http_request injected = get_request(server.base() + "/");
    injected.headers = {{"X-A", "1\r\nX-Injected: 1"}};
    r = t(injected);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::invalid_request);

    http::http_request framing = get_request(server.base() + "/");
    framing.headers = {{"Content-Length", "5"}};
    r = t(framing);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::invalid_request);

    http::http_request bad_name = get_request(server.base() + "/");
    bad_name.headers = {{"X A", "1"}};
    EXPECT_EQ(t(bad_name).error().code, errc::invalid_request);

    http::http_request mtls = get_request(server.base() + "/");
    mtls.use_client_certificate = true;
    r = t(mtls);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::no_client_certificate);
    EXPECT_TRUE(server.requests().empty());
}

TYPED_TEST_P(TransportContract, RefusesUnusableOptions) {
    transport_options zero = loopback_options();
    zero.timeout = std::chrono::milliseconds(0);
    EXPECT_EQ(TypeParam::create(std::move(zero)).error().code, errc::invalid_options);
    transport_options no_limit = loopback_options();
    no_limit.max_response_bytes = 0;
    EXPECT_EQ(TypeParam::create(std::move(no_limit)).error().code, errc::invalid_options);
    transport_options ca = loopback_options();
    ca.ca_file = "/nonexistent/ca.pem";
    EXPECT_EQ(TypeParam::create(std::move(ca)).error().code, errc::invalid_options);
    transport_options cert = loopback_options();
    cert.client_certificate =
        transport::client_identity{"/nonexistent/c.pem", "/nonexistent/k.pem", {}};
    EXPECT_EQ(TypeParam::create(std::move(cert)).error().code, errc::client_certificate_unusable);
}

TYPED_TEST_P(TransportContract, EnforcesTheResponseSizeLimit) {
    const std::string big(5000, 'x');
    loopback_server announced(
        [&](const std::string&) { return loopback_server::respond(200, big); });
    transport_options o = loopback_options();
    o.max_response_bytes = 4096;
    auto t = this->make(std::move(o));
    auto r = t(get_request(announced.base() + "/"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::response_too_large);

    // Chunked: no length announced, the limit applies while reading.
    loopback_server chunked([&](const std::string&) {
        std::string chunks;
        for (int i = 0; i < 5; ++i)
            chunks += "3e8\r\n" + std::string(1000, 'y') + "\r\n";
        return loopback_server::reply{
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + "0\r\n\r\n", false};
    });
    r = t(get_request(chunked.base() + "/"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::response_too_large);

    // Under the limit, chunked is reassembled.
    loopback_server small([&](const std::string&) {
        return loopback_server::reply{
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
            false};
    });
    r = t(get_request(small.base() + "/"));
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(r->body, "abcde");

    loopback_server huge_header([&](const std::string&) {
        return loopback_server::reply{"HTTP/1.1 200 OK\r\nX-Big: " + std::string(70000, 'h') +
                                          "\r\nContent-Length: 0\r\n\r\n",
                                      false};
    });
    r = t(get_request(huge_header.base() + "/"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::response_too_large);
}

TYPED_TEST_P(TransportContract, NetworkFailuresAreDistinct) {
    auto t = this->make();
    auto r =
        t(get_request("http://127.0.0.1:" + std::to_string(loopback_server::closed_port()) + "/"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::connect_failed) << r.error().to_string();

    loopback_server hanging([](const std::string&) { return loopback_server::reply{"", true}; });
    transport_options quick = loopback_options();
    quick.timeout = std::chrono::milliseconds(300);
    r = this->make(std::move(quick))(get_request(hanging.base() + "/"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::timeout) << r.error().to_string();

    // A server that speaks plain HTTP where TLS is expected.
    loopback_server plain([](const std::string&) { return loopback_server::respond(200, "{}"); });
    r = t(get_request("https://127.0.0.1:" + std::to_string(plain.port()) + "/"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::tls_failed) << r.error().to_string();

    r = t(get_request("https://obauth-test.invalid/"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::dns_failed) << r.error().to_string();

    loopback_server garbage([](const std::string&) {
        return loopback_server::reply{"SSH-2.0-OpenSSH\r\n\r\n", false};
    });
    r = t(get_request(garbage.base() + "/"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::invalid_response) << r.error().to_string();

    loopback_server silent([](const std::string&) { return loopback_server::reply{"", false}; });
    r = t(get_request(silent.base() + "/"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::receive_failed) << r.error().to_string();

    loopback_server cut([](const std::string&) {
        return loopback_server::reply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\"",
                                      false};
    });
    r = t(get_request(cut.base() + "/"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::receive_failed) << r.error().to_string();
}

TYPED_TEST_P(TransportContract, RedirectsAreReturnedUnlessFollowingIsAsked) {
    loopback_server other(
        [](const std::string&) { return loopback_server::respond(200, "other"); });
    std::string other_base = other.base();
    loopback_server server([&](const std::string& req) {
        if (req.rfind("POST /start", 0) == 0)
            return loopback_server::reply{
                "HTTP/1.1 303 See Other\r\nLocation: /next?a=b\r\nContent-Length: 0\r\n\r\n",
                false};
        if (req.rfind("GET /next?a=b ", 0) == 0)
            return loopback_server::reply{"HTTP/1.1 302 Found\r\nLocation: " + other_base +
                                              "/final\r\nContent-Length: 0\r\n\r\n",
                                          false};
        if (req.rfind("GET /loop", 0) == 0)
            return loopback_server::reply{
                "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n", false};
        if (req.rfind("GET /ftp", 0) == 0)
            return loopback_server::reply{
                "HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/x\r\nContent-Length: 0\r\n\r\n",
                false};
        return loopback_server::respond(404, "");
    });
    http::http_request post = get_request(server.base() + "/start");
    post.method = http::http_method::post;
    post.headers = {{"Authorization", "Bearer not-for-other-origins"},
                    {"Content-Type", "application/x-www-form-urlencoded"}};
    post.body = "a=1";

    auto r = this->make()(post);
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(r->status, 303);
    ASSERT_NE(r->header("Location"), nullptr);
    EXPECT_EQ(*r->header("Location"), "/next?a=b");
    EXPECT_EQ(server.requests().size(), 1u);

    transport_options follow = loopback_options();
    follow.follow_redirects = true;
    auto t = this->make(std::move(follow));
    r = t(post);
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "other");
    const auto seen = server.requests();
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[2].rfind("GET /next?a=b HTTP/1.1\r\n", 0), 0u) << seen[2];
    EXPECT_EQ(seen[2].find("a=1"), std::string::npos); // 303: the body is not sent again
    const auto at_other = other.requests();
    ASSERT_EQ(at_other.size(), 1u);
    EXPECT_EQ(at_other[0].find("not-for-other-origins"), std::string::npos) << at_other[0];

    r = t(get_request(server.base() + "/loop"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::too_many_redirects);
    r = t(get_request(server.base() + "/ftp"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::redirect_refused) << r.error().to_string();
}

TYPED_TEST_P(TransportContract, CopiesMayBeUsedFromSeveralThreads) {
    std::atomic<int> served{0};
    loopback_server server([&](const std::string& req) {
        ++served;
        const auto at = req.find("GET /n/");
        return loopback_server::respond(200, req.substr(at + 7, req.find(' ', at + 7) - at - 7));
    });
    auto t = this->make();
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&, i, copy = t] {
            for (int j = 0; j < 5; ++j) {
                const std::string id = std::to_string(i) + "-" + std::to_string(j);
                auto r = copy(get_request(server.base() + "/n/" + id));
                if (r && r->status == 200 && r->body == id)
                    ++ok;
            }
        });
    for (auto& th : threads)
        th.join();
    EXPECT_EQ(ok.load(), 20);
    EXPECT_EQ(served.load(), 20);
}

REGISTER_TYPED_TEST_SUITE_P(TransportContract, SendsTheRequestAsGivenAndReturnsTheResponse,
                            ReturnsErrorStatusesAsResponses, RefusesBeforeSending,
                            RefusesUnusableOptions, EnforcesTheResponseSizeLimit,
                            NetworkFailuresAreDistinct, RedirectsAreReturnedUnlessFollowingIsAsked,
                            CopiesMayBeUsedFromSeveralThreads);

} // namespace obauth::test
