# Installs the obauth build tree into a scratch prefix, then builds and runs
# the consumer programs the four ways a project takes obauth in:
# find_package, add_subdirectory, pkg-config and a Meson subproject.
#  - everything (obauth::obauth and both adapters): find_package,
#    add_subdirectory, pkg-config;
#  - the JOSE-only program with Boost and libcurl unfindable: all four, and
#    vendored also in the separately compiled mode (obauth::compiled).
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(consumer ${OBAUTH_SOURCE_DIR}/tests/consumer)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install ${OBAUTH_BINARY_DIR} --prefix ${prefix})

# CMake: find_package and add_subdirectory, everything, then JOSE alone.
set(hidden -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON -DCMAKE_DISABLE_FIND_PACKAGE_CURL=ON)
foreach(mode find_package add_subdirectory)
  if(mode STREQUAL find_package)
    set(from -DCMAKE_PREFIX_PATH=${prefix})
  else()
    set(from -DOBAUTH_VENDORED_DIR=${OBAUTH_SOURCE_DIR})
  endif()
  set(args -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX} ${from})
  run(${CMAKE_COMMAND} -S ${consumer} -B ${WORK_DIR}/${mode} ${args})
  run(${CMAKE_COMMAND} --build ${WORK_DIR}/${mode})
  run(${WORK_DIR}/${mode}/consumer)
  run(${WORK_DIR}/${mode}/consumer_transports)

  set(dir ${WORK_DIR}/${mode}_jose)
  run(${CMAKE_COMMAND} -S ${consumer} -B ${dir} ${args} -DOBAUTH_CONSUMER_JOSE_ONLY=ON ${hidden}
    -DOBAUTH_COMPILED=ON)
  run(${CMAKE_COMMAND} --build ${dir})
  run(${dir}/jose_consumer)
  if(mode STREQUAL add_subdirectory) # vendored, separately compiled
    run(${dir}/jose_consumer_compiled)
  endif()
endforeach()

# pkg-config, as a Makefile-based project would use it: everything through
# obauth.pc, then JOSE alone through obauth-jose.pc with a pkg-config that
# sees only OpenSSL's libcrypto, nlohmann_json and obauth.
find_program(PKG_CONFIG pkg-config REQUIRED)
function(pkg_config out)
  execute_process(COMMAND ${PKG_CONFIG} ${ARGN} OUTPUT_VARIABLE flags
    OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config ${ARGN} failed")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  set(${out} ${flags} PARENT_SCOPE)
endfunction()
set(ENV{PKG_CONFIG_PATH} ${prefix}/share/pkgconfig)
pkg_config(flags --cflags --libs obauth)
run(${CXX} -std=c++17 ${consumer}/main.cpp ${flags} -o ${WORK_DIR}/pkg_config_consumer)
run(${WORK_DIR}/pkg_config_consumer)

set(visible ${WORK_DIR}/pkgconfig_visible)
file(MAKE_DIRECTORY ${visible})
foreach(pc libcrypto nlohmann_json)
  execute_process(COMMAND ${PKG_CONFIG} --variable=pcfiledir ${pc} OUTPUT_VARIABLE dir
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  file(COPY ${dir}/${pc}.pc DESTINATION ${visible})
endforeach()
set(ENV{PKG_CONFIG_LIBDIR} ${visible})
execute_process(COMMAND ${PKG_CONFIG} --exists obauth-transport-curl RESULT_VARIABLE rc)
if(rc EQUAL 0)
  message(FATAL_ERROR "libcurl was not hidden from pkg-config")
endif()
pkg_config(flags --libs obauth-http)
list(FIND flags -lboost_url at)
if(at EQUAL -1)
  message(FATAL_ERROR "obauth-http.pc does not link Boost.URL: ${flags}")
endif()
pkg_config(flags --cflags --libs obauth-jose)
if(flags MATCHES "boost|curl")
  message(FATAL_ERROR "obauth-jose.pc brings Boost or libcurl: ${flags}")
endif()
run(${CXX} -std=c++17 ${consumer}/jose_main.cpp ${flags} -o ${WORK_DIR}/pkg_config_jose)
run(${WORK_DIR}/pkg_config_jose)

# Meson: obauth as a subproject, dependency('obauth-jose'), Boost hidden
# (BOOST_ROOT), libcurl hidden (the pkg-config above; Meson's CMake lookup off).
find_program(MESON meson REQUIRED)
set(src ${WORK_DIR}/meson_src)
file(COPY ${consumer}/meson/meson.build ${consumer}/jose_main.cpp DESTINATION ${src})
file(MAKE_DIRECTORY ${src}/subprojects)
file(CREATE_LINK ${OBAUTH_SOURCE_DIR} ${src}/subprojects/obauth SYMBOLIC)
file(WRITE ${WORK_DIR}/meson_native.ini "[binaries]\ncmake = 'false'\n")
unset(ENV{PKG_CONFIG_PATH}) # the subproject, not the installed obauth
set(ENV{BOOST_ROOT} ${WORK_DIR}/no_boost)
set(ENV{CXX} ${CXX})
run(${MESON} setup --native-file=${WORK_DIR}/meson_native.ini ${WORK_DIR}/meson ${src})
run(${MESON} compile -C ${WORK_DIR}/meson)
run(${WORK_DIR}/meson/jose_consumer)
