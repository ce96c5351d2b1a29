# RV32 bare metal (QEMU virt): the Debian riscv64-unknown-elf-gcc with picolibc.
# -march=rv32imac (not rv32imac_zicsr): the latter selects no rv32 multilib of
# this toolchain; CSR instructions enable Zicsr locally (.option arch).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_ASM_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# Applied to every compile and link by dmabuf_target.cmake (not through
# CMAKE_C_FLAGS_INIT, which a -DCMAKE_C_FLAGS on the command line replaces).
set(DMABUF_TARGET_ARCH_FLAGS --specs=picolibc.specs -march=rv32imac -mabi=ilp32 -mcmodel=medany)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
