// The claims of an RFC 9068 access token the validator reads beyond jose's
// registered ones: client_id, scope and cnf, without a DOM on the hot path.
#pragma once

#include "../error.hpp"

#include "../../core/json.hpp"
#include "../../core/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace obauth::resource::detail {

/// The claims the validator needs beyond jose's (iss, sub, aud, exp, nbf,
/// iat, jti): views into the payload, or into the DOM.
struct access_claims {
    std::string_view client_id, scope;
    std::optional<std::string_view> x5t, jkt;
};

/// Reads access_claims without a DOM, as the visitor of jose's scan of the
/// claims (jose/jwt_visit.hpp); gives up (the caller uses the DOM) on
/// escapes, on a claim of another type than expected and when jose itself
/// read the claims through a DOM.
struct access_claims_scan {
    access_claims& out;
    std::string_view top{}, inner{};
    bool in_cnf = false, give_up = false;

    void key(std::size_t depth, std::string_view name) {
        if (depth == 1)
            top = name;
        else if (depth == 2)
            inner = name;
    }
    bool wanted(std::size_t depth) const {
        return (depth == 1 && (top == "client_id" || top == "scope" || top == "cnf")) ||
               (depth == 2 && in_cnf && (inner == "x5t#S256" || inner == "jkt"));
    }
    void string(std::size_t depth, std::string_view raw, bool escaped) {
        if (!wanted(depth))
            return;
        if (escaped || (depth == 1 && top == "cnf") || (depth == 2 && raw.empty())) {
            give_up = true;
        } else if (depth == 1) {
            (top == "client_id" ? out.client_id : out.scope) = raw;
        } else {
            (inner == "jkt" ? out.jkt : out.x5t) = raw;
        }
    }
    void other(std::size_t depth) {
        if (wanted(depth))
            give_up = true;
    }
    void number(std::size_t depth, std::string_view, bool) { other(depth); }
    void literal(std::size_t depth, char) { other(depth); }
    void open(std::size_t depth, bool object) {
        if (depth == 1 && top == "cnf" && object)
            in_cnf = true;
        else
            other(depth);
    }
    void close(std::size_t depth) {
        if (depth == 1)
            in_cnf = false;
    }
    /// jose read the claims through a DOM: so does the validator.
    void dom() { give_up = true; }
};

/// access_claims from the DOM, every type checked.
inline result<access_claims> access_claims_from(const json& claims) {
    access_claims c;
    auto text = [](const json* v) -> const json::string_t* {
        return v != nullptr ? v->get_ptr<const json::string_t*>() : nullptr;
    };
    const json* client_id = find_member(claims, "client_id");
    if (client_id != nullptr) {
        if (text(client_id) == nullptr)
            return make_error(errc::missing_claim, "client_id is not a string");
        c.client_id = *text(client_id);
    }
    if (const json* scope = find_member(claims, "scope")) {
        if (text(scope) == nullptr)
            return make_error(errc::invalid_token, "scope is not a string");
        c.scope = *text(scope);
    }
    if (const json* cnf = find_member(claims, "cnf")) {
        if (!cnf->is_object())
            return make_error(errc::invalid_token, "cnf is not an object");
        for (const auto& [name, out] : {std::pair{"x5t#S256", &c.x5t}, std::pair{"jkt", &c.jkt}}) {
            if (const json* v = find_member(*cnf, name)) {
                if (text(v) == nullptr || text(v)->empty())
                    return make_error(errc::invalid_token,
                                      std::string("cnf.") + name + " is not a string");
                *out = *text(v);
            }
        }
    }
    return c;
}

} // namespace obauth::resource::detail
