/* Portable suites: run on the host and on every emulated target (firmware/).
 * One SUITE(name) per line, defined as `const struct unit_suite suite_<name>`. */
SUITE(fence)
SUITE(queue)
SUITE(resv)
SUITE(wake)
SUITE(core_lifecycle)
SUITE(core_reset)
SUITE(core_placement)
SUITE(core_cache)
SUITE(core_misuse)
SUITE(core_heap)
SUITE(core_ownership)
SUITE(frames)
