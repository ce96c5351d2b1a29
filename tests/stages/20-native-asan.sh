# The same suites under AddressSanitizer + UndefinedBehaviorSanitizer (clang-14).
set -euo pipefail
source tests/stage-lib.sh
CC=clang-14 CXX=clang++-14 cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug \
  -DDMABUF_SANITIZE=address,undefined >/dev/null
cmake --build build/asan -j"$(nproc)" >/dev/null
ctest_summary build/asan
