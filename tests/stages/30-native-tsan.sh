# The synchronisation suites (fences, reservations, frame queues) under
# ThreadSanitizer (clang-14): a simulated interrupt thread signals fences while
# other threads wait, producers and consumers hand frames over; fault_threads
# races export/attach/map/job fences across workers and a simulated interrupt. Any data race
# aborts the suite (halt_on_error), so a race fails the stage.
set -euo pipefail
source tests/stage-lib.sh
CC=clang-14 CXX=clang++-14 cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug \
  -DDMABUF_SANITIZE=thread >/dev/null
cmake --build build/tsan -j2 --target dmabuf_tests >/dev/null
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
ctest_summary build/tsan -R '^(fence|fence_threads|queue|queue_threads|resv|resv_threads|fault_threads)$'
