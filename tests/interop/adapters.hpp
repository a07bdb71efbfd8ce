// The transport adapters the interop suites run every test through, and
// their names in the test list (".../curl", ".../beast").
#pragma once

#include <obauth/transport/beast.hpp>
#include <obauth/transport/curl.hpp>

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

namespace obauth::test {

using adapters = ::testing::Types<transport::curl_transport, transport::beast_transport>;

class adapter_name {
public:
    template <class T>
    static std::string GetName(int) {
        return std::is_same_v<T, transport::curl_transport> ? "curl" : "beast";
    }
};

} // namespace obauth::test
