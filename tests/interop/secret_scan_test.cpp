// No secret is left in freed memory (issue 19, item 5). This executable
// replaces the global operator delete with one that, while recording, copies
// every block it frees before freeing it; after one token_manager refresh
// against the local bank (through each adapter, with client_secret_basic and
// client_secret_post), the copies are searched for the client secret, its
// Basic credential, the old refresh token and the new access and refresh
// tokens, 16 characters at a time. Any hit is a copy of (a part of) a
// secret that was freed without being wiped.
#include <obauth/oauth/authorization_code_flow.hpp>
#include <obauth/oauth/run.hpp>
#include <obauth/oauth/token_manager.hpp>
#include <obauth/oidc/discovery.hpp>
#include <obauth/oidc/provider_metadata.hpp>

#include "adapters.hpp"
#include "local_bank.hpp"

#include <gtest/gtest.h>

#include <execinfo.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <vector>

namespace {

/// What operator delete saw while recording: the freed blocks, back to back.
struct freed_memory {
    std::atomic<bool> recording{false};
    std::mutex mu; // std::mutex does not allocate
    char* data = nullptr;
    std::size_t size = 0, capacity = 0;
    std::size_t blocks = 0;
    /// With OBAUTH_SECRET_SCAN_TRACE set: the stack of every freed block that
    /// holds this (a secret known before recording starts), to find the leak.
    std::string_view trace;

    void record(void* p) noexcept {
        if (p == nullptr || !recording.load(std::memory_order_relaxed))
            return;
        const std::size_t n = ::malloc_usable_size(p);
        if (!trace.empty() && ::memmem(p, n, trace.data(), trace.size()) != nullptr) {
            void* frames[32];
            ::backtrace_symbols_fd(frames, ::backtrace(frames, 32), 2);
            ::write(2, "----\n", 5);
        }
        std::lock_guard<std::mutex> lock(mu);
        if (size + n > capacity) {
            const std::size_t want = (size + n) * 2;
            char* bigger = static_cast<char*>(std::realloc(data, want));
            if (bigger == nullptr)
                return;
            data = bigger;
            capacity = want;
        }
        std::memcpy(data + size, p, n);
        size += n;
        ++blocks;
    }
    /// How many 16-character pieces of `needle` (all of it when shorter)
    /// occur in what was recorded: a freed prefix or fragment counts too.
    std::size_t pieces(const std::string& needle) const {
        const std::size_t w = std::min<std::size_t>(16, needle.size());
        std::size_t hits = 0;
        for (std::size_t at = 0; at + w <= needle.size(); ++at)
            hits += count(needle.substr(at, w));
        return hits;
    }
    /// How often `needle` occurs in what was recorded.
    std::size_t count(const std::string& needle) const {
        std::size_t hits = 0;
        const char* at = data;
        const char* end = data + size;
        while (at != nullptr && at < end) {
            at = static_cast<const char*>(
                ::memmem(at, static_cast<std::size_t>(end - at), needle.data(), needle.size()));
            if (at != nullptr) {
                ++hits;
                ++at;
            }
        }
        return hits;
    }
    void clear() noexcept {
        std::lock_guard<std::mutex> lock(mu);
        size = 0;
        blocks = 0;
    }
};

freed_memory freed;

void* allocate(std::size_t n) {
    if (void* p = std::malloc(n == 0 ? 1 : n))
        return p;
    std::abort(); // test code: out of memory
}
void* allocate_aligned(std::size_t n, std::align_val_t a) {
    const auto al = static_cast<std::size_t>(a);
    if (void* p = std::aligned_alloc(al, (n + al - 1) / al * al))
        return p;
    std::abort();
}
void release(void* p) noexcept {
    freed.record(p);
    std::free(p);
}

} // namespace

void* operator new(std::size_t n) {
    return allocate(n);
}
void* operator new[](std::size_t n) {
    return allocate(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    return std::malloc(n ? n : 1);
}
void* operator new(std::size_t n, std::align_val_t a) {
    return allocate_aligned(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a) {
    return allocate_aligned(n, a);
}
void operator delete(void* p) noexcept {
    release(p);
}
void operator delete[](void* p) noexcept {
    release(p);
}
void operator delete(void* p, std::size_t) noexcept {
    release(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    release(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    release(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    release(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    release(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    release(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    release(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    release(p);
}

namespace {

using namespace obauth;
using namespace obauth::oauth;

template <class Transport>
class SecretScan : public ::testing::Test {};
TYPED_TEST_SUITE(SecretScan, test::adapters, test::adapter_name);

TYPED_TEST(SecretScan, NoFreedBlockHoldsASecretAfterARefresh) {
    auto b = local_bank::find_bank(OBAUTH_BANK_STATE_DIR);
    ASSERT_TRUE(b) << b.error();
    auto t = TypeParam::create(b->transport_options());
    ASSERT_TRUE(t) << t.error();
    auto req = oidc::make_discovery_request(b->issuer, oidc::metadata_kind::openid_configuration);
    ASSERT_TRUE(req);
    auto resp = (*t)(*req);
    ASSERT_TRUE(resp) << resp.error();
    oidc::metadata_options mo;
    mo.expected_issuer = b->issuer;
    auto metadata = oidc::process_discovery_response(*resp, mo);
    ASSERT_TRUE(metadata) << metadata.error();
    http::http_request keys_req;
    keys_req.url = *metadata->jwks_uri;
    auto keys_resp = (*t)(keys_req);
    ASSERT_TRUE(keys_resp) << keys_resp.error();
    auto keys = jose::parse_jwks(keys_resp->body);
    ASSERT_TRUE(keys) << keys.error();

    for (const bool basic : {true, false}) {
        SCOPED_TRACE(basic ? "client_secret_basic" : "client_secret_post");
        const std::string id = basic ? "web-basic" : "web-post";
        const secret client_secret = local_bank::secret_of(id);
        client c{*metadata,
                 basic ? client_auth::client_secret_basic(id, client_secret.clone())
                       : client_auth::client_secret_post(id, client_secret.clone()),
                 false, 256 * 1024};
        c.id_token_signed_response_alg = jose::algorithm::PS256; // as registered
        authorization_code_options o;
        o.redirect_uri = local_bank::redirect_uri;
        o.scope = {"openid", "accounts", "offline_access"};
        o.issuer_keys = *keys;
        auto flow = authorization_code_flow::create(c, std::move(o));
        ASSERT_TRUE(flow) << flow.error();
        system_clock_source real;
        local_bank::browser<TypeParam> user(*t);
        auto done = run_flow(*flow, *t, user, real);
        ASSERT_TRUE(done) << done.error();
        ASSERT_TRUE(done->tokens.refresh_token);

        // The needles, allocated before recording starts and freed after it ends.
        std::vector<std::string> needles;
        needles.reserve(8);
        needles.emplace_back(client_secret.expose_secret_chars());
        needles.emplace_back(
            std::string(http::basic_authorization(id, client_secret).expose_secret_chars())
                .substr(6)); // "Basic " + base64(id:secret)
        needles.emplace_back(done->tokens.refresh_token->expose_secret_chars());
        needles.emplace_back(done->tokens.access_token.expose_secret_chars());
        for (int i = 0; i < 2; ++i)
            needles.emplace_back(4096, '\0'); // room for the new tokens: no allocation later

        manual_clock later(real.now() + std::chrono::hours(2)); // the access token is due
        const token_key key{}; // no scope parameter: the grant's scope
        {
            auto m = std::make_unique<token_manager>(c, *t, later);
            m->put(key, std::move(done->tokens));
            freed.clear();
            if (std::getenv("OBAUTH_SECRET_SCAN_TRACE") != nullptr)
                freed.trace = needles[2]; // the old refresh token
            freed.recording = true;
            {
                auto refreshed = m->get(key);
                ASSERT_TRUE(refreshed) << refreshed.error();
                needles[4].assign(refreshed->access_token.expose_secret_chars());
                ASSERT_TRUE(refreshed->refresh_token);
                needles[5].assign(refreshed->refresh_token->expose_secret_chars());
            }
            m.reset(); // the manager's copy of the new tokens goes too
        }
        freed.recording = false;
        EXPECT_GT(freed.blocks, 50u); // the recorder saw the refresh
        const char* names[] = {"client secret",    "Basic credential", "old refresh token",
                               "old access token", "new access token", "new refresh token"};
        for (std::size_t i = 0; i < needles.size(); ++i) {
            EXPECT_EQ(freed.pieces(needles[i]), 0u)
                << names[i] << " (" << needles[i].size()
                << " characters): pieces found in freed memory, " << freed.blocks << " blocks and "
                << freed.size << " bytes recorded";
        }
    }
}

} // namespace
