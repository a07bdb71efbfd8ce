// The verify-only program of scripts/size written with jwt-cpp
// (github.com/Thalhammer/jwt-cpp, its default picojson traits): verifies the
// RS256 JWS of RFC 7515 Appendix A.2 with the public key of that appendix,
// given as its JWK members n and e, and refuses it with one signature byte
// changed. Built only when scripts/size is given jwt-cpp's include folder.
#include <jwt-cpp/jwt.h>

#include <cstdio>
#include <string>

namespace {

const char* const n =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-"
    "4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_"
    "7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-"
    "UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_"
    "h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";

const char* const compact =
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA"
    "6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat"
    "0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t"
    "1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07"
    "Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnv"
    "Wh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77"
    "Rw";

bool verifies(const std::string& token, const std::string& pem) {
    try { // jwt::decode has no error_code form
        const auto decoded = jwt::decode(token);
        std::error_code ec;
        // The appendix's token expired in 2011: only the signature is compared.
        jwt::verify()
            .allow_algorithm(jwt::algorithm::rs256(pem))
            .expires_at_leeway(1000000000)
            .verify(decoded, ec);
        return !ec;
    } catch (const std::exception&) {
        return false;
    }
}

} // namespace

int main() {
    std::error_code ec;
    const std::string pem = jwt::helper::create_public_key_from_rsa_components(n, "AQAB", ec);
    std::string tampered = compact;
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    if (ec || !verifies(compact, pem) || verifies(tampered, pem)) {
        std::puts("jwt-cpp verify: FAILED");
        return 1;
    }
    std::puts("jwt-cpp verify: OK");
    return 0;
}
