# Shared by scripts/demo and scripts/test: installs the Debian 12 packages
# obauth needs when they are missing (as root, or through sudo).
# shellcheck shell=bash

OBAUTH_PACKAGES=(
  g++ clang libclang-rt-14-dev clang-format cmake ninja-build meson pkg-config
  libssl-dev nlohmann-json3-dev libboost-url1.81-dev
  libboost1.81-dev libgtest-dev libbenchmark-dev libcurl4-openssl-dev openssl
  glewlwyd sqlite3 libhiredis-dev redis-server
)

obauth_say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# Extra package names may be given (e.g. python3 for the benchmark report).
obauth_ensure_packages() {
  local missing=() p
  for p in "${OBAUTH_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  # Node.js and npm run the interoperability peers; any installation will do.
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing+=(nodejs npm)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0

  local install="apt-get install -y --no-install-recommends ${missing[*]}"
  obauth_say "installing missing packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "obauth needs these Debian 12 packages. As root, run:" >&2
      echo "  apt-get update && $install" >&2
      exit 1
    fi
  fi
  if ! { "${sudo[@]}" apt-get update -q &&
         DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q \
           --no-install-recommends "${missing[@]}"; }; then
    echo "Installing packages failed. Run by hand:" >&2
    echo "  sudo apt-get update && sudo $install" >&2
    exit 1
  fi
}

# Configures (once) and builds the main Release tree shared by the demo and
# the test suite, so the two commands never build the same thing twice.
obauth_build_main() {
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=g++ \
    -DOBAUTH_BUILD_INTEROP=ON >/dev/null
  cmake --build build/release -j "${OBAUTH_JOBS:-2}" "$@"
}

# Configures (once) and builds the libFuzzer harnesses (clang, ASan+UBSan)
# shared by scripts/test (a short smoke run of each) and scripts/fuzz (long
# runs). -O1: the usual fuzzing trade between speed and compile time.
obauth_build_fuzz() {
  cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_CXX_FLAGS=-O1 -DOBAUTH_BUILD_FUZZERS=ON -DOBAUTH_BUILD_TESTS=OFF \
    -DOBAUTH_BUILD_BENCHMARKS=OFF -DOBAUTH_BUILD_EXAMPLES=OFF -DOBAUTH_INSTALL=OFF \
    -DOBAUTH_BUILD_TRANSPORTS=OFF "$@" >build/fuzz.configure.log 2>&1 &&
    cmake --build build/fuzz -j "${OBAUTH_JOBS:-2}"
}
