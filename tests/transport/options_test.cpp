#include <obauth/transport/options.hpp>

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

namespace obauth::transport {
namespace {

TEST(TransportOptions, DefaultsAreTheSafeOnes) {
    const transport_options o;
    EXPECT_TRUE(o.ca_file.empty()); // the system's trust store
    EXPECT_FALSE(o.client_certificate);
    EXPECT_FALSE(o.follow_redirects);
    EXPECT_FALSE(o.allow_http_loopback);
    EXPECT_EQ(o.max_response_bytes, 1024u * 1024u);
    EXPECT_GT(o.timeout, std::chrono::milliseconds(0));
    EXPECT_GT(o.connect_timeout, std::chrono::milliseconds(0));
}

TEST(TransportOptions, TheKeyPasswordIsASecret) {
    // A password moves, never copies, and has no operator<<.
    static_assert(!std::is_copy_constructible_v<client_identity>);
    std::string pw = "pw";
    client_identity id{"c.pem", "k.pem", secret::take(pw)};
    EXPECT_TRUE(pw.empty());
    const client_identity moved = std::move(id);
    ASSERT_TRUE(moved.private_key_password);
    EXPECT_EQ(moved.private_key_password->expose_secret_chars(), "pw");
}

} // namespace
} // namespace obauth::transport
