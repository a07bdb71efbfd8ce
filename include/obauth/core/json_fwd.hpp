// What an interface needs to name JSON without the cost of nlohmann/json.hpp:
// the obauth::json alias over nlohmann's forward declarations, and the
// parser's limits. core/json.hpp has the parser and the getters.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>

namespace obauth {

using json = nlohmann::json;

struct json_limits {
    std::size_t max_bytes = std::size_t{1} << 20; ///< input size limit (default 1 MiB)
    std::size_t max_depth = 32;                   ///< nesting limit (objects + arrays)
};

} // namespace obauth
