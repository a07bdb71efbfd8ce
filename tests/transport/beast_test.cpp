#include <obauth/transport/beast.hpp>

#include "transport/security_contract.hpp"
#include "transport/transport_contract.hpp"

namespace obauth::test {
INSTANTIATE_TYPED_TEST_SUITE_P(Beast, TransportContract, transport::beast_transport);
INSTANTIATE_TYPED_TEST_SUITE_P(Beast, TransportSecurity, transport::beast_transport);
} // namespace obauth::test
