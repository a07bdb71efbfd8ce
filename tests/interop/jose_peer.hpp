// The `jose` npm package as the interop peer (tests/interop/jose/peer.mjs):
// one batch of requests in, one batch of results out.
#pragma once

#include <obauth/core/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace obauth::test {

/// Runs the peer in `mode` over `requests`; null JSON when it fails.
inline json run_jose_peer(const std::string& mode, const json& requests) {
    const std::string dir = OBAUTH_JOSE_PEER_DIR;
    const std::string in = dir + "/" + mode + ".requests.json";
    const std::string out = dir + "/" + mode + ".results.json";
    std::ofstream(in) << requests.dump();
    const std::string cmd =
        std::string(OBAUTH_NODE) + " " + dir + "/peer.mjs " + mode + " " + in + " " + out;
    if (std::system(cmd.c_str()) != 0)
        return json();
    std::ifstream f(out);
    std::stringstream s;
    s << f.rdbuf();
    auto parsed = parse_json(s.str(), json_limits{64u << 20, 64});
    return parsed ? *parsed : json();
}

} // namespace obauth::test
