// The declared context of the README's C++ blocks (tests/readme/run.cmake):
// the names a block uses without defining them — inputs such as `now` and
// `token`, the keys, and the user's own functions (`your_https_post`, `log`).
// Each block is compiled as the body of its own function after this header,
// so a block's declarations shadow these. Only compiled, never linked.
#ifndef OBAUTH_TESTS_README_CONTEXT_HPP
#define OBAUTH_TESTS_README_CONTEXT_HPP

#include <obauth/obauth.hpp>
#include <obauth/store/redis.hpp>
#include <obauth/transport/curl.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace readme {

namespace jose = obauth::jose;
namespace oauth = obauth::oauth;
using json = nlohmann::json;

// Inputs.
extern const obauth::time_point now;
extern const std::string text, jwks_json, token, body, payload, pem_text, received,
    stored_challenge, issuer, client_id, nonce, code, state, id_token, bank_response_body,
    redirect_uri;
// Keys: a block that makes its own key shadows these.
extern const jose::jwk key, rsa_key, ec_key, client_key, signing_key;
extern const jose::jwks key_set, registered_jwks, bank_keys;
extern const jose::jws_verify_options pinned;
extern const obauth::secret client_secret;
extern std::vector<jose::jwk> bank_client_keys;
extern obauth::http::form_body form;
extern obauth::result<obauth::oidc::provider_metadata> metadata;
extern const obauth::consent::consent_request request;
// From the block before (the flow of "The OAuth 2.0 client").
extern obauth::result<oauth::authorization_code_flow> flow;
extern obauth::system_clock_source clock;
// From "A fleet": the shared Redis connection pool, the client and the
// user's tokens after the authorization.
extern std::shared_ptr<obauth::store::redis_client> redis;
extern const oauth::client bank_client;
extern oauth::token_set user_tokens;
extern const std::function<obauth::result<std::string>(const boost::urls::url&)> browser;

// The user's own functions.
void log(std::string_view what, std::string_view why);
int fail(const obauth::error_info& e);
void refuse();
template <class... T>
void use(const T&...) {}
obauth::http::http_response your_http_send(const obauth::http::http_request& r);
obauth::result<obauth::http::http_response> your_https_post(const obauth::http::http_request& r);
obauth::result<obauth::http::http_response> send(const obauth::http::http_request& r);
obauth::result<std::string> redirect_and_wait_for_callback(const boost::urls::url& u);

} // namespace readme

#endif
