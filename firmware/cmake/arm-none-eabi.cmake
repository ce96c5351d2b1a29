# Cortex-M7 bare metal (QEMU mps2-an500): arm-none-eabi-gcc + newlib.
# Soft float keeps the runner free of FPU start-up code; the C under test has
# no floating point.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# Applied to every compile and link by dmabuf_target.cmake (not through
# CMAKE_C_FLAGS_INIT, which a -DCMAKE_C_FLAGS on the command line replaces).
set(DMABUF_TARGET_ARCH_FLAGS -mcpu=cortex-m7 -mthumb -mfloat-abi=soft)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
