# Findhiredis: the hiredis C client (Debian: libhiredis-dev), which ships a
# CMake file without an imported target. Defines hiredis::hiredis and
# hiredis_FOUND; pkg-config is asked first, the usual paths then.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_hiredis QUIET hiredis)
endif()
find_path(hiredis_INCLUDE_DIR hiredis/hiredis.h HINTS ${PC_hiredis_INCLUDEDIR})
find_library(hiredis_LIBRARY NAMES hiredis HINTS ${PC_hiredis_LIBDIR})
set(hiredis_VERSION ${PC_hiredis_VERSION})
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(hiredis
  REQUIRED_VARS hiredis_LIBRARY hiredis_INCLUDE_DIR
  VERSION_VAR hiredis_VERSION)
if(hiredis_FOUND AND NOT TARGET hiredis::hiredis)
  add_library(hiredis::hiredis UNKNOWN IMPORTED)
  set_target_properties(hiredis::hiredis PROPERTIES
    IMPORTED_LOCATION "${hiredis_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${hiredis_INCLUDE_DIR}")
endif()
mark_as_advanced(hiredis_INCLUDE_DIR hiredis_LIBRARY)
