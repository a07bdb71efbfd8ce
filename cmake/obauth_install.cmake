# Installs the headers, the exported targets with a package config
# (find_package(obauth CONFIG)) and a pkg-config file. Everything goes under
# share/ because the library is header-only and architecture-independent.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/obauth
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS ${OBAUTH_MODULE_TARGETS} ${OBAUTH_ADAPTER_TARGETS} obauth_obauth
  EXPORT obauthTargets)

set(OBAUTH_CMAKE_DIR ${CMAKE_INSTALL_DATADIR}/cmake/obauth)
install(EXPORT obauthTargets NAMESPACE obauth:: DESTINATION ${OBAUTH_CMAKE_DIR})

set(OBAUTH_FIND_DEPENDENCIES "")
foreach(pkg IN LISTS OBAUTH_EXTERNAL_PACKAGES)
  string(APPEND OBAUTH_FIND_DEPENDENCIES "find_dependency(${pkg})\n")
endforeach()
# The adapters' packages: obauth::transport_* work when these are found.
foreach(pkg IN LISTS OBAUTH_OPTIONAL_PACKAGES)
  string(APPEND OBAUTH_FIND_DEPENDENCIES "find_package(${pkg} QUIET)\n")
endforeach()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/obauthConfig.cmake.in
  ${PROJECT_BINARY_DIR}/obauthConfig.cmake
  INSTALL_DESTINATION ${OBAUTH_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/obauthConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/obauthConfig.cmake
  ${PROJECT_BINARY_DIR}/obauthConfigVersion.cmake
  DESTINATION ${OBAUTH_CMAKE_DIR})

set(OBAUTH_PC_REQUIRES "libcrypto >= 3.0, nlohmann_json >= 3.10")
set(OBAUTH_PC_LIBS "")
if(TARGET Boost::url)
  set(OBAUTH_PC_LIBS "-lboost_url")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/obauth.pc.in ${PROJECT_BINARY_DIR}/obauth.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/obauth.pc DESTINATION ${CMAKE_INSTALL_DATADIR}/pkgconfig)
