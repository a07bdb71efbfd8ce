// The authorization code flow as one sans-IO state machine:
//
//   start(now)            -> send_request (PAR)  or  redirect_user
//   on_response(par, now) -> redirect_user       (request_uri)
//   on_callback(url, now) -> send_request        (token request)
//   on_response(tok, now) -> flow_complete       (validated tokens)
//
// One transition table decides which event each state accepts; anything
// else fails with flow_out_of_order, a second callback with
// callback_replayed. Any error moves the flow to `failed`, and every later
// call returns flow_failed: a half-failed flow is never resumed.
//
// The flow generates state, nonce and the PKCE verifier (S256) with the
// injected random generator; state and nonce are compared in constant
// time, the verifier is sent once. The options and the FAPI presets are in
// security_profile.hpp; create() refuses a configuration that breaks the
// profile it names.
#pragma once

#include "authorization_request.hpp"
#include "callback.hpp"
#include "certificate_binding.hpp"
#include "client.hpp"
#include "flow.hpp"
#include "par.hpp"
#include "security_profile.hpp"
#include "token_request.hpp"
#include "token_response.hpp"

#include "../core/random.hpp"
#include "../jose/jwks.hpp"
#include "../oidc/id_token.hpp"
#include "../pkce/code_verifier.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::oauth {

namespace detail {
inline constexpr flow_transition authorization_code_transitions[] = {
    {flow_state::idle, flow_event::start, flow_state::awaiting_callback},
    {flow_state::idle, flow_event::start_with_par, flow_state::awaiting_par_response},
    {flow_state::awaiting_par_response, flow_event::par_response, flow_state::awaiting_callback},
    {flow_state::awaiting_callback, flow_event::callback, flow_state::awaiting_token_response},
    {flow_state::awaiting_token_response, flow_event::token_response, flow_state::complete},
    {flow_state::awaiting_par_response, flow_event::dpop_nonce, flow_state::awaiting_par_response},
    {flow_state::awaiting_token_response, flow_event::dpop_nonce,
     flow_state::awaiting_token_response},
};

inline bool contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

/// The algorithm set for ID tokens or JARM responses when the options pin
/// none: the client's registered algorithm (RS256 by default), which the
/// provider must advertise when it advertises any (`member` names the list).
inline result<jose::algorithm_set> registered_algorithms(std::optional<jose::algorithm> registered,
                                                         const std::vector<std::string>& supported,
                                                         const char* member) {
    const jose::algorithm a = registered.value_or(jose::algorithm::RS256);
    if (!supported.empty() && !contains(supported, jose::to_string(a)))
        return make_error(errc::invalid_options, std::string(jose::to_string(a)) +
                                                     " is registered but not in the provider's " +
                                                     member);
    return jose::algorithm_set{a};
}

} // namespace detail

class authorization_code_flow {
public:
    /// Checks the configuration and generates state, nonce and the PKCE
    /// verifier. `c` must outlive the flow.
    static result<authorization_code_flow> create(const client& c, authorization_code_options o,
                                                  random_generator& rng = default_random()) {
        if (o.redirect_uri.empty())
            return make_error(errc::invalid_options, "redirect_uri is required");
        const bool openid = detail::contains(o.scope, "openid");
        if (o.protection == response_protection::hybrid && !openid)
            return make_error(errc::invalid_options, "the hybrid flow needs the openid scope");
        if ((o.protection != response_protection::none || openid) && o.issuer_keys.empty())
            return make_error(errc::invalid_options, "ID tokens and JARM need the issuer's keys");
        OBAUTH_TRY_VOID(detail::check_profile(c, o));
        OBAUTH_TRY_VOID(c.encryption.check(c.server));
        const bool jarm = o.protection == response_protection::jarm;
        jose::algorithm_set id_algs, jarm_algs;
        if (o.algorithms) {
            id_algs = jarm_algs = *o.algorithms;
        } else {
            if (openid || o.binding) {
                OBAUTH_TRY(id_algs, detail::registered_algorithms(
                                        c.id_token_signed_response_alg,
                                        c.server.id_token_signing_alg_values_supported,
                                        "id_token_signing_alg_values_supported"));
            }
            if (jarm) {
                OBAUTH_TRY(jarm_algs, detail::registered_algorithms(
                                          c.authorization_signed_response_alg,
                                          c.server.authorization_signing_alg_values_supported,
                                          "authorization_signing_alg_values_supported"));
            }
        }
        authorization_code_flow f(c, std::move(o), rng);
        f.openid_ = openid;
        f.id_token_algorithms_ = id_algs;
        f.jarm_algorithms_ = jarm_algs;
        OBAUTH_TRY(f.state_, random_token(32, rng));
        if (openid) {
            OBAUTH_TRY(f.nonce_, random_token(32, rng));
        }
        OBAUTH_TRY(f.verifier_, pkce::code_verifier::generate(rng));
        return f;
    }

    authorization_code_flow(authorization_code_flow&&) noexcept = default;

    flow_state state() const noexcept { return machine_.state(); }
    /// The error that failed the flow (state() == failed).
    const std::optional<error_info>& failure() const noexcept { return machine_.failure(); }
    /// The PAR response (after it arrived).
    const std::optional<par_response>& pushed() const noexcept { return par_; }

    /// The URL to send the user to, again; fails once a PAR request_uri
    /// has expired (RFC 9126 §2.2), since the server would refuse it.
    result<boost::urls::url> authorization_url(time_point now) const {
        if (machine_.state() != flow_state::awaiting_callback)
            return make_error(errc::flow_out_of_order, "no authorization URL in this state");
        if (par_ && par_->expired(now))
            return make_error(errc::request_uri_expired);
        return redirect_url_;
    }

    result<flow_step> start(time_point now) {
        return machine_.step(
            o_.use_par ? detail::flow_event::start_with_par : detail::flow_event::start,
            [&]() -> result<flow_step> {
                if (o_.use_par) {
                    OBAUTH_TRY(http::http_request q, par_request(now));
                    return flow_step(send_request{std::move(q)});
                }
                OBAUTH_TRY(authorization_request r, request());
                std::optional<std::string> object;
                if (o_.request_object_key) {
                    OBAUTH_TRY(object, make_request_object(*c_, r, *o_.request_object_key, now,
                                                           object_options(), *rng_));
                }
                auto url = object ? make_authorization_url_by_value(*c_, r, *object)
                                  : make_authorization_url(*c_, r);
                OBAUTH_TRY(redirect_url_, std::move(url));
                return flow_step(redirect_user{redirect_url_});
            });
    }

    result<flow_step> on_response(const http::http_response& resp, time_point now) {
        const bool at_par = machine_.state() == flow_state::awaiting_par_response;
        if (c_->dpop && (at_par || machine_.state() == flow_state::awaiting_token_response)) {
            const auto e =
                at_par ? oidc::endpoint::pushed_authorization_request : oidc::endpoint::token;
            if (auto url = endpoint_url(*c_, e))
                c_->dpop->remember(resp, *url);
            // Asked for a nonce: the request built anew (a new proof, and new
            // client assertion and request object: their jtis are spent), once.
            if (!retried_ && asks_for_dpop_nonce(resp))
                return machine_.step(detail::flow_event::dpop_nonce, [&]() -> result<flow_step> {
                    retried_ = true;
                    OBAUTH_TRY(http::http_request q,
                               at_par ? par_request(now) : token_request(now));
                    return flow_step(send_request{std::move(q)});
                });
        }
        retried_ = false;
        if (machine_.state() == flow_state::awaiting_par_response)
            return machine_.step(detail::flow_event::par_response, [&]() -> result<flow_step> {
                OBAUTH_TRY(par_, process_par_response(resp, now, c_->max_response_bytes));
                OBAUTH_TRY(redirect_url_,
                           make_authorization_url_by_reference(*c_, par_->request_uri));
                return flow_step(redirect_user{redirect_url_});
            });
        return machine_.step(detail::flow_event::token_response,
                             [&]() -> result<flow_step> { return finish(resp, now); });
    }

    result<flow_step> on_callback(std::string_view callback, time_point now) {
        if (machine_.state() == flow_state::awaiting_token_response ||
            machine_.state() == flow_state::complete)
            return machine_.fail(make_error(errc::callback_replayed));
        return machine_.step(detail::flow_event::callback, [&]() -> result<flow_step> {
            callback_validation v;
            v.issuer = c_->server.issuer;
            v.client_id = c_->auth.client_id();
            v.expected_state = state_.expose_secret_chars();
            v.location = o_.protection == response_protection::hybrid ? response_location::fragment
                                                                      : response_location::query;
            v.require_iss =
                o_.require_iss.value_or(c_->server.authorization_response_iss_parameter_supported);
            v.jarm = o_.protection == response_protection::jarm;
            v.issuer_keys = &o_.issuer_keys;
            v.jarm_algorithms = jarm_algorithms_;
            v.jarm_decryption = c_->encryption.decryption(encrypted_response::authorization);
            if (o_.protection == response_protection::hybrid)
                v.id_token = id_token_validation();
            OBAUTH_TRY(authorization_response ar, process_callback(callback, v, now));
            front_id_token_ = std::move(ar.id_token);
            code_ = ar.code.clone(); // for a c_hash in the token endpoint's ID token
            OBAUTH_TRY(secret verifier, verifier_->take());
            grant_ =
                authorization_code_grant{std::move(ar.code), o_.redirect_uri, std::move(verifier)};
            OBAUTH_TRY(http::http_request q, token_request(now));
            if (!c_->dpop) // else kept (wiped memory) for a nonce retry
                grant_.reset();
            return flow_step(send_request{std::move(q)});
        });
    }

private:
    authorization_code_flow(const client& c, authorization_code_options o, random_generator& rng)
        : c_(&c), o_(std::move(o)), rng_(&rng) {}

    result<http::http_request> par_request(time_point now) {
        OBAUTH_TRY(authorization_request r, request());
        if (!o_.request_object_key)
            return make_par_request(*c_, r, now, *rng_);
        OBAUTH_TRY(const std::string object, make_request_object(*c_, r, *o_.request_object_key,
                                                                 now, object_options(), *rng_));
        return make_par_request(*c_, object, now, *rng_);
    }

    /// Encrypted request objects go to the issuer's encryption key unless
    /// the options name other keys.
    request_object_options object_options() const {
        request_object_options o = o_.request_object;
        if (o.server_keys == nullptr)
            o.server_keys = &o_.issuer_keys;
        return o;
    }

    result<http::http_request> token_request(time_point now) {
        if (!grant_)
            return make_error(errc::flow_out_of_order, "no authorization code");
        token_request_options to;
        to.resources = o_.parameters.resources;
        return make_token_request(*c_, *grant_, now, to, *rng_);
    }

    result<authorization_request> request() const {
        authorization_request r = o_.parameters;
        r.response_type = o_.protection == response_protection::hybrid ? "code id_token" : "code";
        if (o_.protection == response_protection::jarm)
            r.response_mode = "jwt";
        r.redirect_uri = o_.redirect_uri;
        r.scope = o_.scope;
        r.state = std::string(state_.expose_secret_chars());
        r.nonce = std::string(nonce_.expose_secret_chars());
        // RFC 9449 §10: the code bound to the DPoP key (PAR carries a proof).
        if (c_->dpop && !o_.use_par) {
            OBAUTH_TRY(std::string jkt, c_->dpop->thumbprint());
            r.extra.emplace_back("dpop_jkt", std::move(jkt));
        }
        OBAUTH_TRY(r.code_challenge, verifier_->challenge());
        r.code_challenge_method = "S256";
        return r;
    }

    oidc::id_token_validation id_token_validation() const {
        oidc::id_token_validation v;
        v.issuer = c_->server.issuer;
        v.client_id = c_->auth.client_id();
        v.algorithms = id_token_algorithms_;
        v.fapi = o_.profile != security_profile::none;
        v.nonce = nonce_.expose_secret_chars();
        v.max_age = o_.parameters.max_age;
        v.max_iat_age = o_.id_token_max_iat_age;
        v.acr_values = o_.parameters.acr_values;
        v.decryption = c_->encryption.decryption(encrypted_response::id_token);
        return v;
    }

    result<flow_step> finish(const http::http_response& resp, time_point now) {
        grant_.reset(); // the code and verifier are spent either way
        token_response_options to = o_.token_response;
        to.token_types = accepted_token_types(*c_, std::move(to.token_types));
        to.require_id_token = to.require_id_token || openid_;
        to.max_bytes = std::min(to.max_bytes, c_->max_response_bytes);
        OBAUTH_TRY(token_set tokens, process_token_response(resp, now, to));
        flow_complete done{std::move(tokens), std::nullopt, std::nullopt};
        if (openid_) {
            // Every hash claim present is checked against what the flow holds
            // (some servers, Glewlwyd among them, put c_hash and s_hash here too).
            oidc::id_token_validation v = id_token_validation();
            v.access_token = done.tokens.access_token.expose_secret_chars();
            v.code = code_.expose_secret_chars();
            v.state = state_.expose_secret_chars();
            OBAUTH_TRY(oidc::verified_id_token t,
                       oidc::validate_id_token(*done.tokens.id_token, o_.issuer_keys, v, now));
            // OpenID Connect Core §3.3.3.6: the same iss and sub as the
            // front-channel ID token.
            if (front_id_token_ &&
                (front_id_token_->sub() != t.sub() || front_id_token_->iss() != t.iss()))
                return make_error(errc::invalid_response,
                                  "ID tokens from the two endpoints name different subjects");
            done.id_token = std::move(t);
            done.front_channel_id_token = std::move(front_id_token_);
        }
        if (o_.binding)
            OBAUTH_TRY_VOID(check_binding(done.tokens, now));
        return flow_step(std::move(done));
    }

    result<void> check_binding(const token_set& t, time_point now) const {
        // A JWT access token is signed like the server's ID tokens.
        jose::jws_verify_options vo;
        vo.algorithms = o_.algorithms.value_or(id_token_algorithms_);
        jose::jwt_validation p;
        p.issuer = c_->server.issuer;
        p.audiences = {o_.binding->audience};
        auto jwt =
            jose::verify_jwt(t.access_token.expose_secret_chars(), o_.issuer_keys, vo, p, now);
        if (!jwt)
            return make_error(errc::certificate_mismatch,
                              "access token does not verify: " + jwt.error().to_string());
        return check_certificate_binding(jwt->claims(), o_.binding->thumbprint);
    }

    const client* c_;
    authorization_code_options o_;
    random_generator* rng_;
    detail::flow_machine machine_{detail::authorization_code_transitions};
    bool openid_ = false;
    jose::algorithm_set id_token_algorithms_;
    jose::algorithm_set jarm_algorithms_;
    secret state_;
    secret nonce_;
    secret code_;
    std::optional<pkce::code_verifier> verifier_;
    std::optional<par_response> par_;
    boost::urls::url redirect_url_;
    std::optional<oidc::verified_id_token> front_id_token_;
    std::optional<authorization_code_grant> grant_; ///< with DPoP: until the tokens arrive
    bool retried_ = false; ///< the one DPoP nonce retry of the current request was made
};

} // namespace obauth::oauth
