// Umbrella header: every obauth module. Convenient for small programs;
// larger ones include only the module headers they use.
#pragma once

#include "core/base64url.hpp"
#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/digest.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/json_scanner.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "core/secret.hpp"
#include "core/utf8.hpp"

#include "jose/algorithm.hpp"
#include "jose/error.hpp"
#include "jose/jwk.hpp"
#include "jose/jwks.hpp"
#include "jose/jws.hpp"
#include "jose/jws_json.hpp"
#include "jose/jwt.hpp"
#include "jose/key_io.hpp"

#include "assertion/assertion_verifier.hpp"
#include "assertion/client_assertion.hpp"
#include "assertion/error.hpp"
#include "assertion/jti_replay_cache.hpp"
#include "pkce/code_verifier.hpp"
#include "pkce/error.hpp"
