// The RSA signature encoding checks (jose/detail/rsa_public.hpp) on an
// encoded message the fuzzer writes: a signature from the fuzzer would
// decrypt to noise, so the checks are driven directly. The selector's low
// three bits pick the algorithm, the next three how many top bits of the
// first octet lie above emBits (RSASSA-PSS). Each must refuse or accept,
// never read or write outside the message.
#include <obauth/jose/detail/rsa_public.hpp>

#include "fuzz_support.hpp"

#include <cstring>

namespace {
namespace jose = obauth::jose;
namespace detail = obauth::jose::detail;
using jose::algorithm;

constexpr algorithm algorithms[] = {algorithm::RS256, algorithm::RS384, algorithm::RS512,
                                    algorithm::PS256, algorithm::PS384, algorithm::PS512};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    obauth::fuzz::input in(data, size);
    const std::uint8_t which = in.byte();
    const std::string_view rest = in.rest();
    if (rest.empty() || rest.size() > detail::max_signature_size)
        return 0;
    const algorithm a = algorithms[(which & 7U) % 6];
    const EVP_MD* md = obauth::fetched_digest(jose::info(a).digest);
    // The digest of "payload": the seeds' encodings are of it.
    unsigned char hash[64];
    const std::size_t h_len =
        obauth::digest_into(obauth::detail::thread_digest_ctx(), md,
                            obauth::bytes_view(std::string_view("payload")), hash);
    // Exactly as long as the message, so a read past it is a finding.
    std::unique_ptr<unsigned char[]> em(new unsigned char[rest.size()]);
    std::memcpy(em.get(), rest.data(), rest.size());
    if (jose::info(a).family == jose::algorithm_family::rsa_pkcs1) {
        (void)detail::pkcs1_encoding_matches(em.get(), rest.size(),
                                             obauth::bytes_view(hash, h_len));
    } else {
        const std::size_t unused = (which >> 3U) & 7U;
        if (8 * rest.size() <= unused)
            return 0;
        (void)detail::pss_encoding_matches(em.get(), rest.size(), 8 * rest.size() - unused, md,
                                           obauth::bytes_view(hash, h_len));
    }
    return 0;
}
