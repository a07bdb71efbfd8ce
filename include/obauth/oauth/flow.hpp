// What a flow asks its caller to do next, as plain values (the h11 model):
// send an HTTP request, send the user to a URL, or take the result; and
// the state-machine core the flows share (one transition table per flow,
// a sticky failed state).
#pragma once

#include "error.hpp"
#include "token_response.hpp"

#include "../http/http_request.hpp"
#include "../oidc/id_token.hpp"

#include <boost/url/url.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <variant>

namespace obauth::oauth {

/// Send this request and pass the response to on_response().
struct send_request {
    http::http_request request;
};
/// Send the user agent here and pass the callback to on_callback().
struct redirect_user {
    boost::urls::url url;
};
/// The flow finished: validated tokens.
struct flow_complete {
    token_set tokens;
    /// The ID token from the token endpoint, validated (OpenID flows).
    std::optional<oidc::verified_id_token> id_token;
    /// The hybrid flow's ID token from the authorization response, validated
    /// (nonce, c_hash, s_hash) and checked to name the same iss and sub.
    std::optional<oidc::verified_id_token> front_channel_id_token{};
};

using flow_step = std::variant<send_request, redirect_user, flow_complete>;

enum class flow_state {
    idle,
    awaiting_par_response,
    awaiting_callback,
    awaiting_token_response,
    complete,
    failed,
};

namespace detail {
enum class flow_event {
    start,
    start_with_par,
    par_response,
    callback,
    token_response,
    dpop_nonce, ///< the server asked for a DPoP nonce: the same request again, once
};
struct flow_transition {
    flow_state from;
    flow_event event;
    flow_state to;
};

/// The part every flow shares: the current state, a transition table that
/// says which event each state accepts, and the sticky failure.
class flow_machine {
public:
    template <std::size_t N>
    explicit flow_machine(const flow_transition (&table)[N]) noexcept : table_(table), size_(N) {}

    flow_state state() const noexcept { return state_; }
    const std::optional<error_info>& failure() const noexcept { return failure_; }

    /// Runs `body` if the table allows `ev` now; moves on when it succeeds,
    /// to `failed` when it does not.
    template <class Body>
    result<flow_step> step(flow_event ev, Body&& body) {
        if (state_ == flow_state::failed)
            return make_error(errc::flow_failed, failure_ ? failure_->to_string() : std::string());
        const flow_transition* t = nullptr;
        for (std::size_t i = 0; i < size_; ++i)
            if (table_[i].from == state_ && table_[i].event == ev)
                t = &table_[i];
        if (t == nullptr)
            return fail(make_error(errc::flow_out_of_order));
        auto r = body();
        if (!r)
            return fail(std::move(r).error());
        state_ = t->to;
        return r;
    }
    error_info fail(error_info e) {
        state_ = flow_state::failed;
        failure_ = e;
        return e;
    }

private:
    const flow_transition* table_;
    std::size_t size_;
    flow_state state_ = flow_state::idle;
    std::optional<error_info> failure_;
};
} // namespace detail

} // namespace obauth::oauth
