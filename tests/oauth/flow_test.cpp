#include <obauth/oauth/flow.hpp>

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::oauth;

constexpr oauth::detail::flow_transition table[] = {
    {flow_state::idle, oauth::detail::flow_event::start, flow_state::awaiting_callback},
    {flow_state::awaiting_callback, oauth::detail::flow_event::callback, flow_state::complete},
};

result<flow_step> redirect() {
    return flow_step(redirect_user{boost::urls::url("https://as.example/authorize")});
}

TEST(FlowMachine, FollowsTheTableAndFailsForGood) {
    oauth::detail::flow_machine m(table);
    EXPECT_EQ(m.state(), flow_state::idle);
    ASSERT_TRUE(m.step(oauth::detail::flow_event::start, redirect));
    EXPECT_EQ(m.state(), flow_state::awaiting_callback);
    // An event the state does not accept fails the machine...
    EXPECT_EQ(m.step(oauth::detail::flow_event::start, redirect).error().code,
              errc::flow_out_of_order);
    EXPECT_EQ(m.state(), flow_state::failed);
    // ...for good, even for an event that would have been accepted.
    auto r = m.step(oauth::detail::flow_event::callback, redirect);
    EXPECT_EQ(r.error().code, errc::flow_failed);
    ASSERT_TRUE(m.failure());
    EXPECT_EQ(m.failure()->code, errc::flow_out_of_order);
}

TEST(FlowMachine, AFailingStepFailsTheMachine) {
    oauth::detail::flow_machine m(table);
    auto r = m.step(oauth::detail::flow_event::start,
                    []() -> result<flow_step> { return make_error(errc::state_mismatch); });
    EXPECT_EQ(r.error().code, errc::state_mismatch);
    EXPECT_EQ(m.state(), flow_state::failed);
}

} // namespace
