// The libcurl adapter's chunked transfer decoder (RFC 9112 §7.1), fed in
// pieces of fuzzer-chosen sizes: it stays within its limits whatever
// arrives, and the pieces do not change the outcome.
#include <obauth/transport/detail/chunked.hpp>

#include "fuzz_support.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using obauth::transport::detail::chunked_decoder;
    obauth::fuzz::input in(data, size);
    const std::size_t max_body = 1 + in.byte() * 16u, max_overhead = 1 + in.byte() * 4u;
    const std::size_t piece = 1 + in.byte();
    const std::string_view text = in.rest();

    chunked_decoder whole(max_body, max_overhead);
    obauth::wiping_string body_whole;
    const auto at_once = whole.feed(text, body_whole);

    chunked_decoder pieces(max_body, max_overhead);
    obauth::wiping_string body_pieces;
    auto status = chunked_decoder::status::more;
    for (std::size_t at = 0; at < text.size() && status == chunked_decoder::status::more;
         at += piece)
        status = pieces.feed(text.substr(at, piece), body_pieces);

    if (body_whole.size() > max_body || status != at_once ||
        (status == chunked_decoder::status::done && body_whole != body_pieces))
        std::abort();
    return 0;
}
