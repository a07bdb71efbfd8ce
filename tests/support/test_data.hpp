// Loads test vectors from tests/data (OBAUTH_TEST_DATA_DIR).
#pragma once

#include <obauth/core/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace obauth::test {

inline std::string read_data_file(const std::string& relative) {
    std::ifstream in(std::string(OBAUTH_TEST_DATA_DIR) + "/" + relative, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// The parsed vector file, or null JSON when it cannot be read or parsed
/// (the calling test then fails on its first lookup).
inline json load_json(const std::string& relative) {
    auto r = parse_json(read_data_file(relative), json_limits{64u << 20, 64});
    return r ? std::move(*r) : json();
}

inline std::string str(const json& j, const char* key) {
    const json* m = find_member(j, key);
    return m && m->is_string() ? *m->get_ptr<const json::string_t*>() : std::string();
}

} // namespace obauth::test
