/* Firmware-only suites of the riscv32 virt runner (firmware/tests/). */
SUITE(baremetal_os)
