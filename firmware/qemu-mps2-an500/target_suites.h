/* Firmware-only suites of the mps2-an500 runner (firmware/tests/). */
SUITE(baremetal_os)
SUITE(cache_cortex_m7)
SUITE(strict_ownership)
