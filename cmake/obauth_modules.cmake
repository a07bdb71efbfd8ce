# obauth_add_module(<name> [DEPENDS <module>...] [EXTERNAL <target>...] [NO_EXCEPTIONS])
#
# Declares the INTERFACE target obauth::<name> for include/obauth/<name>/.
# NO_EXCEPTIONS marks modules that build and pass their tests with
# -fno-exceptions; with OBAUTH_NO_EXCEPTIONS=ON only those are built.
set(OBAUTH_MODULES "")
set(OBAUTH_MODULE_TARGETS "")
set(OBAUTH_EXTERNAL_PACKAGES "")

function(obauth_add_module name)
  cmake_parse_arguments(M "NO_EXCEPTIONS" "" "DEPENDS;EXTERNAL" ${ARGN})
  if(OBAUTH_NO_EXCEPTIONS AND NOT M_NO_EXCEPTIONS)
    return()
  endif()
  foreach(ext IN LISTS M_EXTERNAL)
    obauth_find_external(${ext})
  endforeach()
  set(target obauth_${name})
  add_library(${target} INTERFACE)
  add_library(obauth::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  target_include_directories(${target} INTERFACE
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_compile_features(${target} INTERFACE cxx_std_17)
  list(TRANSFORM M_DEPENDS PREPEND obauth_ OUTPUT_VARIABLE deps)
  target_link_libraries(${target} INTERFACE ${deps} ${M_EXTERNAL})
  set(OBAUTH_MODULES ${OBAUTH_MODULES} ${name} PARENT_SCOPE)
  set(OBAUTH_MODULE_TARGETS ${OBAUTH_MODULE_TARGETS} ${target} PARENT_SCOPE)
endfunction()

# Finds the package behind an imported target once, and remembers it for the
# installed package config.
macro(obauth_find_external target)
  if(NOT TARGET ${target})
    if(${target} STREQUAL "OpenSSL::Crypto")
      find_package(OpenSSL 3.0 REQUIRED COMPONENTS Crypto)
      list(APPEND OBAUTH_EXTERNAL_PACKAGES "OpenSSL 3.0 COMPONENTS Crypto")
    elseif(${target} STREQUAL "nlohmann_json::nlohmann_json")
      find_package(nlohmann_json 3.10 REQUIRED)
      list(APPEND OBAUTH_EXTERNAL_PACKAGES "nlohmann_json 3.10")
    elseif(${target} STREQUAL "Boost::url")
      find_package(Boost 1.81 REQUIRED COMPONENTS url CONFIG)
      list(APPEND OBAUTH_EXTERNAL_PACKAGES "Boost 1.81 COMPONENTS url CONFIG")
    else()
      message(FATAL_ERROR "obauth: unknown external dependency ${target}")
    endif()
    set(OBAUTH_EXTERNAL_PACKAGES "${OBAUTH_EXTERNAL_PACKAGES}" PARENT_SCOPE)
  endif()
endmacro()
