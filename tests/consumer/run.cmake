# Installs the obauth build tree into a scratch prefix, then builds and runs
# the consumer project three ways: find_package, add_subdirectory, pkg-config.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install ${OBAUTH_BINARY_DIR} --prefix ${prefix})

foreach(mode find_package add_subdirectory)
  set(args -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX})
  if(mode STREQUAL find_package)
    list(APPEND args -DCMAKE_PREFIX_PATH=${prefix})
  else()
    list(APPEND args -DOBAUTH_VENDORED_DIR=${OBAUTH_SOURCE_DIR})
  endif()
  run(${CMAKE_COMMAND} -S ${OBAUTH_SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/${mode} ${args})
  run(${CMAKE_COMMAND} --build ${WORK_DIR}/${mode})
  run(${WORK_DIR}/${mode}/consumer)
  run(${WORK_DIR}/${mode}/consumer_transports)
endforeach()

# pkg-config, as a Makefile-based project would use it.
find_program(PKG_CONFIG pkg-config REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${prefix}/share/pkgconfig)
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs obauth
  OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config cannot resolve obauth")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${CXX} -std=c++17 ${OBAUTH_SOURCE_DIR}/tests/consumer/main.cpp ${flags}
  -o ${WORK_DIR}/pkg_config_consumer)
run(${WORK_DIR}/pkg_config_consumer)
