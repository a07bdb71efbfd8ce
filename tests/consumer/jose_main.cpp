// A program that uses obauth's JOSE module alone, built by the consumer test
// with Boost and libcurl made unfindable: it needs OpenSSL and nlohmann_json
// only. It verifies the RS256 JWS of RFC 7515 Appendix A.2 with the public
// key of that appendix, and refuses it with one signature byte changed.
// Exits non-zero on failure.
#include <obauth/jose/jws.hpp>

#include <cstdio>
#include <string>

namespace {

const char* const public_jwk =
    "{\"kty\":\"RSA\",\"n\":\"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddx"
    "HmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32"
    "690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7W"
    "TBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmo"
    "udF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ\",\"e\":\"AQAB\"}";

const char* const compact =
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA"
    "6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat"
    "0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t"
    "1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07"
    "Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnv"
    "Wh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77"
    "Rw";

} // namespace

int main() {
    namespace jose = obauth::jose;
    const auto key = jose::parse_jwk(public_jwk);
    jose::jws_verify_options options;
    options.algorithms = jose::algorithm_set({jose::algorithm::RS256});
    std::string tampered = compact;
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    if (!key || !jose::verify_compact(compact, *key, options) ||
        jose::verify_compact(tampered, *key, options)) {
        std::puts("jose consumer: FAILED");
        return 1;
    }
    std::puts("jose consumer: OK");
    return 0;
}
