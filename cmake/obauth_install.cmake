# Installs the headers, the exported targets with a package config
# (find_package(obauth CONFIG [COMPONENTS <module>...])) and one pkg-config
# file per module (obauth-<module>.pc, Requires: the modules it builds on)
# plus obauth.pc for all of them. Everything goes under share/ because the
# library is header-only and architecture-independent.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/obauth
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The one source file of the separately compiled mode, for builds of the
# installed headers that want it (pkg-config, Meson, hand-written makefiles).
install(FILES ${PROJECT_SOURCE_DIR}/src/obauth.cpp DESTINATION ${CMAKE_INSTALL_DATADIR}/obauth)

set(OBAUTH_CMAKE_DIR ${CMAKE_INSTALL_DATADIR}/cmake/obauth)
set(OBAUTH_PC_DIR ${CMAKE_INSTALL_DATADIR}/pkgconfig)

# One export set per module, so that the package config loads a module's
# targets only when the packages it needs are found. The config file gets a
# table: each module's obauth dependencies and its own packages.
set(OBAUTH_CONFIG_TABLE "")
foreach(module IN LISTS OBAUTH_MODULES)
  install(TARGETS obauth_${module} EXPORT obauth_${module})
  install(EXPORT obauth_${module} NAMESPACE obauth:: FILE obauth-${module}-targets.cmake
    DESTINATION ${OBAUTH_CMAKE_DIR})
  get_property(depends GLOBAL PROPERTY OBAUTH_DEPENDS_${module})
  get_property(packages GLOBAL PROPERTY OBAUTH_PACKAGES_${module})
  list(TRANSFORM packages REPLACE " " "|")
  string(APPEND OBAUTH_CONFIG_TABLE
    "set(_obauth_depends_${module} ${depends})\n"
    "set(_obauth_packages_${module} ${packages})\n")

  get_property(pc_requires GLOBAL PROPERTY OBAUTH_PC_REQUIRES_${module})
  get_property(pc_libs GLOBAL PROPERTY OBAUTH_PC_LIBS_${module})
  string(REPLACE "_" "-" pc_name "obauth-${module}")
  list(TRANSFORM pc_requires REPLACE "_" "-" REGEX "^obauth-")
  string(REPLACE ";" ", " OBAUTH_PC_REQUIRES "${pc_requires}")
  string(REPLACE ";" " " OBAUTH_PC_LIBS "${pc_libs}")
  set(OBAUTH_PC_NAME ${pc_name})
  set(OBAUTH_PC_DESCRIPTION "obauth: the ${module} module")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/obauth.pc.in ${PROJECT_BINARY_DIR}/pc/${pc_name}.pc
    @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/pc/${pc_name}.pc DESTINATION ${OBAUTH_PC_DIR})
endforeach()
list(JOIN OBAUTH_MODULES " " OBAUTH_INSTALLED_MODULES)

if(TARGET obauth_obauth)
  install(TARGETS obauth_obauth EXPORT obauth_obauth)
  install(EXPORT obauth_obauth NAMESPACE obauth:: FILE obauth-obauth-targets.cmake
    DESTINATION ${OBAUTH_CMAKE_DIR})
  list(TRANSFORM OBAUTH_MODULE_TARGETS REPLACE "^obauth_" "" OUTPUT_VARIABLE all)
  string(APPEND OBAUTH_CONFIG_TABLE "set(_obauth_depends_obauth ${all})\n")
  string(APPEND OBAUTH_INSTALLED_MODULES " obauth")
  # obauth.pc: every module but the adapters.
  set(OBAUTH_PC_NAME obauth)
  set(OBAUTH_PC_DESCRIPTION "${PROJECT_DESCRIPTION}")
  set(OBAUTH_PC_REQUIRES "")
  foreach(target IN LISTS OBAUTH_MODULE_TARGETS)
    string(REPLACE "obauth_" "obauth-" pc_name ${target})
    list(APPEND OBAUTH_PC_REQUIRES ${pc_name})
  endforeach()
  string(REPLACE ";" ", " OBAUTH_PC_REQUIRES "${OBAUTH_PC_REQUIRES}")
  set(OBAUTH_PC_LIBS "")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/obauth.pc.in ${PROJECT_BINARY_DIR}/pc/obauth.pc
    @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/pc/obauth.pc DESTINATION ${OBAUTH_PC_DIR})
endif()

if(TARGET obauth_compiled)
  install(TARGETS obauth_compiled EXPORT obauth_compiled)
  install(EXPORT obauth_compiled NAMESPACE obauth:: FILE obauth-compiled-targets.cmake
    DESTINATION ${OBAUTH_CMAKE_DIR})
  string(APPEND OBAUTH_CONFIG_TABLE "set(_obauth_depends_compiled jose)\n")
  string(APPEND OBAUTH_INSTALLED_MODULES " compiled")
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/obauthConfig.cmake.in
  ${PROJECT_BINARY_DIR}/obauthConfig.cmake
  INSTALL_DESTINATION ${OBAUTH_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/obauthConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/obauthConfig.cmake
  ${PROJECT_BINARY_DIR}/obauthConfigVersion.cmake ${PROJECT_SOURCE_DIR}/cmake/Findhiredis.cmake
  DESTINATION ${OBAUTH_CMAKE_DIR})
