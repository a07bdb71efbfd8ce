// Bodies a hostile or broken server may answer with: every parser must
// refuse them with an error (never crash, throw or accept them).
#pragma once

#include <obauth/http/http_response.hpp>

#include <string>
#include <vector>

namespace obauth::test {

inline std::vector<http::http_response> hostile_responses(int status = 200) {
    const http::http_headers json_type{{"Content-Type", "application/json"}};
    std::vector<std::string> bodies = {
        "",
        "null",
        "[]",
        "\"a string\"",
        "{",
        "{\"id\":",
        std::string(100'000, '['),                      // nesting far beyond any limit
        "{\"a\":" + std::string(5'000'000, ' ') + "1}", // over every size limit
        "{\"id\":\"\xff\xfe\"}",                        // not UTF-8
        "{\"id\":\"a\",\"id\":\"b\"}",                  // a duplicate member
        std::string("{\"id\":\"a\0b\"}", 13),           // NUL
        "\xef\xbb\xbf{}",                               // byte order mark
        "<html><body>Gateway</body></html>",
    };
    std::vector<http::http_response> out;
    for (auto& b : bodies)
        out.push_back({status, json_type, b});
    out.push_back({status, {{"Content-Type", "text/html"}}, "{}"});
    out.push_back({status, {}, "{}"});
    return out;
}

} // namespace obauth::test
