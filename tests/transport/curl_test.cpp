#include <obauth/transport/curl.hpp>

#include "transport/security_contract.hpp"
#include "transport/transport_contract.hpp"

namespace obauth::test {
INSTANTIATE_TYPED_TEST_SUITE_P(Curl, TransportContract, transport::curl_transport);
INSTANTIATE_TYPED_TEST_SUITE_P(Curl, TransportSecurity, transport::curl_transport);
} // namespace obauth::test
