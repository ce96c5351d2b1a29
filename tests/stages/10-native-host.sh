# Native host suites, gcc, debug, -Werror.
set -euo pipefail
source tests/stage-lib.sh
cmake -S . -B build/host -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build/host -j"$(nproc)" >/dev/null
ctest_summary build/host
