#include <obauth/dpop/htu.hpp>

#include <gtest/gtest.h>

namespace {

using obauth::dpop::normalized_htu;

TEST(DpopHtu, NormalisesAsRfc3986Says) {
    const char* same[] = {
        "https://server.example/token",      "HTTPS://SERVER.example/token",
        "https://server.example:443/token",  "https://server.example/token?x=1",
        "https://server.example/token#frag", "https://server.example/a/../token",
        "https://server.example/%74oken",
    };
    for (const char* u : same)
        EXPECT_EQ(normalized_htu(u).value(), "https://server.example/token") << u;
    EXPECT_EQ(normalized_htu("http://server.example:80").value(), "http://server.example/");
    EXPECT_EQ(normalized_htu("https://server.example:8443/t").value(),
              "https://server.example:8443/t");
    // Path case and other ports matter.
    EXPECT_NE(normalized_htu("https://server.example/Token").value(),
              "https://server.example/token");
    EXPECT_EQ(normalized_htu("http://server.example:443/t").value(), "http://server.example:443/t");
}

TEST(DpopHtu, RefusesWhatIsNotAnHttpUrl) {
    for (const char* u :
         {"", "/token", "ftp://server.example/", "https://user@server.example/", "https:///token",
          "not a url",
          // Found by the fuzz harness: Boost.URL reads "h:q" as an
          // empty port and the path "q".
          "HTTPS://AS.example:q#f", "https://h:99999/", "https://h/%zz", "https://h/%4"})
        EXPECT_FALSE(normalized_htu(u)) << u;
}

} // namespace
