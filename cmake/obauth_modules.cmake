# obauth_add_module(<name> [DEPENDS <module>...] [EXTERNAL <target>...] [NO_EXCEPTIONS]
#                   [ADAPTER])
#
# Declares the INTERFACE target obauth::<name> for include/obauth/<name>/.
# EXTERNAL lists the packages this module adds to those of its DEPENDS (the
# targets of its dependencies bring theirs along).
# NO_EXCEPTIONS marks modules that build and pass their tests with
# -fno-exceptions; with OBAUTH_NO_EXCEPTIONS=ON only those are built.
# ADAPTER marks the optional transport adapters (include/obauth/transport/):
# installed and exported, but not part of obauth::obauth.
#
# A module whose packages (or obauth dependencies) are missing is left out
# with a status message, unless OBAUTH_REQUIRE_ALL is on (the tests need
# every module): a project that vendors obauth for JOSE alone needs neither
# Boost nor libcurl.
set(OBAUTH_MODULES "")
set(OBAUTH_MODULE_TARGETS "")
set(OBAUTH_ADAPTER_TARGETS "")
set(OBAUTH_MISSING_MODULES "")

# Inside obauth_add_module: reports a module left out.
macro(obauth_leave_out why)
  message(STATUS "obauth: obauth::${name} not declared (${why})")
  if(NOT M_ADAPTER)
    set(OBAUTH_MISSING_MODULES ${OBAUTH_MISSING_MODULES} ${name} PARENT_SCOPE)
  endif()
endmacro()

function(obauth_add_module name)
  cmake_parse_arguments(M "NO_EXCEPTIONS;ADAPTER" "" "DEPENDS;EXTERNAL" ${ARGN})
  if(OBAUTH_NO_EXCEPTIONS AND NOT M_NO_EXCEPTIONS)
    return()
  endif()
  foreach(dep IN LISTS M_DEPENDS)
    if(NOT TARGET obauth_${dep})
      obauth_leave_out("it needs obauth::${dep}")
      return()
    endif()
  endforeach()
  set(packages "")
  set(pc_requires "")
  set(pc_libs "")
  foreach(ext IN LISTS M_EXTERNAL)
    obauth_find_external(${ext})
    if(NOT found)
      obauth_leave_out("${pkg} not found")
      return()
    endif()
    list(APPEND packages "${pkg}")
  endforeach()
  foreach(dep IN LISTS M_DEPENDS)
    list(APPEND pc_requires "obauth-${dep}")
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
  # What the installed package config and the pkg-config files need.
  set_property(GLOBAL PROPERTY OBAUTH_DEPENDS_${name} "${M_DEPENDS}")
  set_property(GLOBAL PROPERTY OBAUTH_PACKAGES_${name} "${packages}")
  set_property(GLOBAL PROPERTY OBAUTH_PC_REQUIRES_${name} "${pc_requires}")
  set_property(GLOBAL PROPERTY OBAUTH_PC_LIBS_${name} "${pc_libs}")
  if(M_ADAPTER)
    set(OBAUTH_ADAPTER_TARGETS ${OBAUTH_ADAPTER_TARGETS} ${target} PARENT_SCOPE)
  else()
    set(OBAUTH_MODULE_TARGETS ${OBAUTH_MODULE_TARGETS} ${target} PARENT_SCOPE)
  endif()
  set(OBAUTH_MODULES ${OBAUTH_MODULES} ${name} PARENT_SCOPE)
endfunction()

# Finds the package behind an imported target. Sets found, pkg (the
# find_package arguments, for the installed config) and appends to
# pc_requires / pc_libs (for pkg-config).
macro(obauth_find_external target)
  if(OBAUTH_REQUIRE_ALL)
    set(how REQUIRED)
  else()
    set(how QUIET)
  endif()
  if(${target} STREQUAL "OpenSSL::Crypto")
    set(pkg "OpenSSL 3.0 COMPONENTS Crypto")
    list(APPEND pc_requires "libcrypto >= 3.0")
  elseif(${target} STREQUAL "OpenSSL::SSL")
    set(pkg "OpenSSL 3.0 COMPONENTS Crypto SSL")
    list(APPEND pc_requires "libssl >= 3.0")
  elseif(${target} STREQUAL "CURL::libcurl")
    set(pkg "CURL 7.85")
    list(APPEND pc_requires "libcurl >= 7.85")
  elseif(${target} STREQUAL "Threads::Threads")
    set(pkg "Threads")
    list(APPEND pc_libs "-pthread")
  elseif(${target} STREQUAL "nlohmann_json::nlohmann_json")
    set(pkg "nlohmann_json 3.10")
    list(APPEND pc_requires "nlohmann_json >= 3.10")
  elseif(${target} STREQUAL "hiredis::hiredis")
    set(pkg "hiredis 0.14")
    list(APPEND pc_requires "hiredis >= 0.14")
  elseif(${target} STREQUAL "Boost::url")
    set(pkg "Boost 1.81 COMPONENTS url CONFIG")
    list(APPEND pc_libs "-lboost_url")
  else()
    message(FATAL_ERROR "obauth: unknown external dependency ${target}")
  endif()
  separate_arguments(args UNIX_COMMAND "${pkg}")
  # OpenSSL and nlohmann_json are needed by every module.
  if(${target} MATCHES "^(OpenSSL::Crypto|nlohmann_json::nlohmann_json)$")
    find_package(${args} REQUIRED)
  else()
    find_package(${args} ${how})
  endif()
  if(TARGET ${target})
    set(found ON)
  else()
    set(found OFF)
  endif()
endmacro()
