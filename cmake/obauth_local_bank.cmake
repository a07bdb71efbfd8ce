# The local bank (tests/interop/bank/): oidc-provider and the scripts that
# start and stop it, copied into the build tree, with its npm packages
# installed by `npm ci` from the pinned package-lock.json. Used by the
# interop tests and the FAPI demo (OBAUTH_BUILD_INTEROP=ON).
find_program(OBAUTH_NODE node REQUIRED)
find_program(OBAUTH_NPM npm REQUIRED)
set(OBAUTH_LOCAL_BANK_DIR ${PROJECT_BINARY_DIR}/local-bank)
set(bank_src ${PROJECT_SOURCE_DIR}/tests/interop/bank)
foreach(f package.json package-lock.json server.mjs consents.mjs providers.mjs make-pki.sh start.sh stop.sh)
  configure_file(${bank_src}/${f} ${OBAUTH_LOCAL_BANK_DIR}/${f} COPYONLY)
endforeach()
add_custom_command(OUTPUT ${OBAUTH_LOCAL_BANK_DIR}/node_modules/.package-lock.json
  COMMAND ${OBAUTH_NPM} ci --prefix ${OBAUTH_LOCAL_BANK_DIR} --no-audit --no-fund --loglevel=error
  DEPENDS ${bank_src}/package-lock.json
  COMMENT "Installing the local bank's npm packages (oidc-provider)")
add_custom_target(obauth_local_bank DEPENDS ${OBAUTH_LOCAL_BANK_DIR}/node_modules/.package-lock.json)
