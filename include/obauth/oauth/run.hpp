// Driving a flow with the caller's HTTP stack: a transport is any callable
// `result<http::http_response>(const http::http_request&)` (libcurl,
// Boost.Beast, an API gateway's client, a test double), and a user agent is
// any callable `result<std::string>(const boost::urls::url&)` returning the
// URL the user came back to. run_flow() feeds the flow until it completes
// or fails; the flow does every check, run_flow only moves values.
#pragma once

#include "error.hpp"
#include "flow.hpp"

#include "../core/clock.hpp"
#include "../http/http_request.hpp"
#include "../http/http_response.hpp"

#include <string>
#include <utility>
#include <variant>

namespace obauth::oauth {

/// Runs `flow` (authorization_code_flow or grant_flow) to completion.
template <class Flow, class Transport, class UserAgent>
result<flow_complete> run_flow(Flow& flow, Transport&& transport, UserAgent&& user_agent,
                               const clock_source& clock) {
    result<flow_step> step = flow.start(clock.now());
    for (int round = 0; round < 8; ++round) {
        if (!step)
            return std::move(step).error();
        if (auto* send = std::get_if<send_request>(&*step)) {
            result<http::http_response> resp = transport(std::as_const(send->request));
            if (!resp)
                return std::move(resp).error();
            step = flow.on_response(*resp, clock.now());
        } else if (auto* go = std::get_if<redirect_user>(&*step)) {
            result<std::string> back = user_agent(std::as_const(go->url));
            if (!back)
                return std::move(back).error();
            step = flow.on_callback(*back, clock.now());
        } else {
            return std::get<flow_complete>(std::move(*step));
        }
    }
    return make_error(errc::flow_out_of_order, "flow did not finish");
}

/// The same for flows that never redirect (client credentials, password).
template <class Flow, class Transport>
result<flow_complete> run_flow(Flow& flow, Transport&& transport, const clock_source& clock) {
    return run_flow(
        flow, std::forward<Transport>(transport),
        [](const boost::urls::url&) -> result<std::string> {
            return make_error(errc::flow_out_of_order, "this flow has no user agent");
        },
        clock);
}

} // namespace obauth::oauth
