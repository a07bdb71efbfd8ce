// obauth's separately compiled mode: compile this file once, with
// OBAUTH_SEPARATE_COMPILATION defined for it and for every translation unit
// that includes obauth (core/config.hpp; the CMake target obauth::compiled
// does both). The JOSE module's functions are compiled here and nowhere else.
#ifndef OBAUTH_SEPARATE_COMPILATION
#error "src/obauth.cpp needs -DOBAUTH_SEPARATE_COMPILATION (header-only needs no source)"
#endif
#define OBAUTH_SOURCE 1

#include <obauth/jose/detail/lazy_json.hpp>
#include <obauth/jose/jwk.hpp>
#include <obauth/jose/jwks.hpp>
#include <obauth/jose/jws.hpp>
#include <obauth/jose/jwt.hpp>
