// Flows of one back-channel round trip: client_credentials (RFC 6749 §4.4)
// and the resource owner password grant (§4.3, for the legacy systems that
// still require it). start() -> send_request, on_response() ->
// flow_complete, with the same transition-table machine and sticky failure
// as the authorization code flow.
#pragma once

#include "client.hpp"
#include "flow.hpp"
#include "token_request.hpp"
#include "token_response.hpp"

#include <optional>
#include <utility>
#include <variant>

namespace obauth::oauth {

namespace detail {
inline constexpr flow_transition grant_transitions[] = {
    {flow_state::idle, flow_event::start, flow_state::awaiting_token_response},
    {flow_state::awaiting_token_response, flow_event::token_response, flow_state::complete},
    {flow_state::awaiting_token_response, flow_event::dpop_nonce,
     flow_state::awaiting_token_response},
};
} // namespace detail

class grant_flow {
public:
    /// `c` must outlive the flow.
    static grant_flow client_credentials(const client& c, client_credentials_grant g,
                                         token_request_options req = {},
                                         token_response_options resp = {}) {
        return grant_flow(c, std::move(g), std::move(req), std::move(resp));
    }
    static grant_flow password(const client& c, password_grant g, token_request_options req = {},
                               token_response_options resp = {}) {
        return grant_flow(c, std::move(g), std::move(req), std::move(resp));
    }

    flow_state state() const noexcept { return machine_.state(); }
    const std::optional<error_info>& failure() const noexcept { return machine_.failure(); }

    result<flow_step> start(time_point now, random_generator& rng = default_random()) {
        return machine_.step(detail::flow_event::start, [&]() -> result<flow_step> {
            rng_ = &rng;
            OBAUTH_TRY(http::http_request q, request(now));
            // The password is not needed again (with DPoP: once the
            // response is in, a nonce retry being a new request).
            if (!c_->dpop)
                wipe_password();
            return flow_step(send_request{std::move(q)});
        });
    }

    result<flow_step> on_response(const http::http_response& r, time_point now) {
        if (c_->dpop && machine_.state() == flow_state::awaiting_token_response) {
            // The same request built anew (a new proof with the nonce, and a
            // new client assertion: the first one's jti is spent), once.
            if (auto url = endpoint_url(*c_, oidc::endpoint::token))
                c_->dpop->remember(r, *url);
            if (!retried_ && asks_for_dpop_nonce(r))
                return machine_.step(detail::flow_event::dpop_nonce, [&]() -> result<flow_step> {
                    retried_ = true;
                    OBAUTH_TRY(http::http_request q, request(now));
                    return flow_step(send_request{std::move(q)});
                });
        }
        wipe_password();
        return machine_.step(detail::flow_event::token_response, [&]() -> result<flow_step> {
            token_response_options o = response_;
            o.max_bytes = std::min(o.max_bytes, c_->max_response_bytes);
            o.token_types = accepted_token_types(*c_, std::move(o.token_types));
            OBAUTH_TRY(token_set t, process_token_response(r, now, o));
            return flow_step(flow_complete{std::move(t), std::nullopt, std::nullopt});
        });
    }

    /// Grant flows never redirect the user.
    result<flow_step> on_callback(std::string_view, time_point) {
        return machine_.step(detail::flow_event::callback, []() -> result<flow_step> {
            return make_error(errc::flow_out_of_order);
        });
    }

private:
    result<http::http_request> request(time_point now) {
        return std::visit([&](auto& g) { return make_token_request(*c_, g, now, request_, *rng_); },
                          grant_);
    }
    void wipe_password() {
        if (auto* p = std::get_if<password_grant>(&grant_))
            p->password = secret();
    }

    template <class G>
    grant_flow(const client& c, G g, token_request_options req, token_response_options resp)
        : c_(&c), grant_(std::move(g)), request_(std::move(req)), response_(std::move(resp)) {}

    const client* c_;
    std::variant<client_credentials_grant, password_grant> grant_;
    token_request_options request_;
    token_response_options response_;
    detail::flow_machine machine_{detail::grant_transitions};
    random_generator* rng_ = nullptr;
    bool retried_ = false; ///< the one DPoP nonce retry was made
};

} // namespace obauth::oauth
