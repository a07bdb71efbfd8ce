// Header-only (the default) or separately compiled.
//
// Define OBAUTH_SEPARATE_COMPILATION for every translation unit (a compiler
// flag; the CMake target obauth::compiled does it) and compile
// src/obauth.cpp once: the JOSE module's functions are then compiled there
// and nowhere else, and its public headers include neither
// nlohmann/json.hpp nor OpenSSL's headers (a translation unit that includes
// obauth/jose/jwt.hpp compiles in a third of the time). Header-only, they are
// inline functions in every translation unit that includes them.
#pragma once

#if defined(OBAUTH_SEPARATE_COMPILATION)
/// Function definitions are compiled in src/obauth.cpp only.
#define OBAUTH_DECL
#if defined(OBAUTH_SOURCE)
#define OBAUTH_INCLUDE_IMPL 1
#else
#define OBAUTH_INCLUDE_IMPL 0
#endif
#else
/// Function definitions are inline, in the headers.
#define OBAUTH_DECL inline
#define OBAUTH_INCLUDE_IMPL 1
#endif
