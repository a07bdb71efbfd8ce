// A token set as text and back, to keep it outside the process — sealed
// first (store/sealing.hpp), as the token manager does in a fleet's shared
// store. The text is the token response the set came from (RFC 6749 §5.1
// members, and the others kept) plus "obauth_issued_at" (Unix seconds).
// The tokens are written into and read out of wiped memory only: they never
// pass through a std::string or the JSON parser.
#pragma once

#include "token_response.hpp"

#include "../core/json.hpp"
#include "../core/json_secrets.hpp"
#include "../core/wiping_allocator.hpp"

#include <array>
#include <string>

namespace obauth::oauth {

inline result<wiping_string> write_token_set(const token_set& t) {
    json rest = t.other.is_object() ? t.other : json::object();
    rest["token_type"] = t.token_type;
    if (t.expires_in)
        rest["expires_in"] = t.expires_in->count();
    if (t.scope)
        rest["scope"] = detail::join_scope(*t.scope);
    if (t.id_token)
        rest["id_token"] = *t.id_token;
    if (t.issued_token_type)
        rest["issued_token_type"] = *t.issued_token_type;
    if (!t.authorization_details.is_null())
        rest["authorization_details"] = t.authorization_details;
    rest["obauth_issued_at"] = to_unix_seconds(t.issued_at);
    auto text = serialize_json(rest);
    if (!text)
        return make_error(errc::invalid_response, "token set: " + text.error().to_string());
    wiping_string out = "{\"access_token\":";
    bool ok = append_json_string(t.access_token.expose_secret_chars(), out);
    if (t.refresh_token) {
        out += ",\"refresh_token\":";
        ok = ok && append_json_string(t.refresh_token->expose_secret_chars(), out);
    }
    if (!ok)
        return make_error(errc::invalid_response, "token set: a token is not UTF-8");
    out += ',';
    out.append(text->begin() + 1, text->end()); // rest is an object: "{" + members + "}"
    return out;
}

/// Reads what write_token_set wrote (blanking the tokens in `text`).
inline result<token_set> read_token_set(wiping_string& text, std::size_t max_bytes = 256 * 1024) {
    auto bad = [](const std::string& why) {
        return make_error(errc::invalid_response, "stored token set: " + why);
    };
    if (text.size() > max_bytes)
        return bad("too large");
    std::array<secret_member, 2> tokens{{{"access_token", {}}, {"refresh_token", {}}}};
    take_secret_members(text, tokens);
    auto doc = parse_json_object(text, json_limits{max_bytes, 16});
    if (!doc)
        return bad(doc.error().to_string());
    const auto issued = get_int64(*doc, "obauth_issued_at");
    const auto at = issued ? checked_from_unix_seconds(*issued) : std::nullopt;
    if (!at)
        return bad("no obauth_issued_at");
    doc->erase("obauth_issued_at");
    token_response_options opt;
    const auto type = get_string(*doc, "token_type");
    if (type)
        opt.token_types = {std::string(*type)}; // accepted when it was received
    return detail::token_set_from(*doc, tokens, *at, opt);
}

} // namespace obauth::oauth
