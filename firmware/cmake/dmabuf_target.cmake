# The portable layers and the C test runner for a bare-metal QEMU target.
# Included by firmware/qemu-*/CMakeLists.txt after project(); compiles the very
# sources the host build compiles (core, boards, harness, tests/native/core)
# with the bare-metal OS port, so the on-target run executes the same tests.
#
#   dmabuf_core_target    native-interop/core + frames + cache_none + os/baremetal
#   dmabuf_boards_target  boards/*.c
#   dmabuf_add_runner(<exe> SOURCES ... SUITES_DIR <dir with target_suites.h>)
get_filename_component(DMABUF_ROOT ${CMAKE_CURRENT_LIST_DIR}/../.. ABSOLUTE)

set(CMAKE_C_STANDARD 11)
set(CMAKE_C_STANDARD_REQUIRED ON)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE MinSizeRel)
endif()
option(DMABUF_DEBUG "Compile the failure/checker messages in (the core suites check them)" ON)

add_compile_options(${DMABUF_TARGET_ARCH_FLAGS} -ffunction-sections -fdata-sections
                    -Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion)
add_link_options(${DMABUF_TARGET_ARCH_FLAGS} -Wl,--gc-sections)
if(DMABUF_DEBUG)
  add_compile_definitions(DMABUF_DEBUG=1)
endif()

file(GLOB DMABUF_TARGET_CORE_SOURCES CONFIGURE_DEPENDS ${DMABUF_ROOT}/native-interop/core/*.c
     ${DMABUF_ROOT}/native-interop/frames/*.c)
add_library(dmabuf_core_target STATIC ${DMABUF_TARGET_CORE_SOURCES}
            ${DMABUF_ROOT}/native-interop/backends/cache_none.c
            ${DMABUF_ROOT}/native-interop/backends/os/baremetal/os_baremetal.c)
target_include_directories(dmabuf_core_target PUBLIC ${DMABUF_ROOT}/native-interop/include
                           ${DMABUF_ROOT}/native-interop/backends/os/baremetal
                           PRIVATE ${DMABUF_ROOT}/native-interop/core)

file(GLOB DMABUF_TARGET_BOARD_SOURCES CONFIGURE_DEPENDS ${DMABUF_ROOT}/boards/*.c)
add_library(dmabuf_boards_target STATIC ${DMABUF_TARGET_BOARD_SOURCES})
target_include_directories(dmabuf_boards_target PUBLIC ${DMABUF_ROOT}/native-interop/include ${DMABUF_ROOT}/boards)

file(GLOB DMABUF_TARGET_CORE_TESTS CONFIGURE_DEPENDS ${DMABUF_ROOT}/tests/native/core/*.c
     ${DMABUF_ROOT}/tests/native/frames/*.c)

function(dmabuf_add_runner exe)
  cmake_parse_arguments(ARG "" "SUITES_DIR;LINKER_SCRIPT" "SOURCES" ${ARGN})
  add_executable(${exe} ${DMABUF_ROOT}/firmware/tests/main_target.c
                 ${DMABUF_ROOT}/tests/harness/unit.c ${DMABUF_TARGET_CORE_TESTS} ${ARG_SOURCES})
  target_include_directories(${exe} PRIVATE ${ARG_SUITES_DIR} ${DMABUF_ROOT}/firmware/tests
                             ${DMABUF_ROOT}/tests/harness ${DMABUF_ROOT}/tests/native)
  target_link_libraries(${exe} PRIVATE dmabuf_core_target dmabuf_boards_target)
  target_link_options(${exe} PRIVATE -T${ARG_LINKER_SCRIPT} -Wl,-Map=${exe}.map)
  set_target_properties(${exe} PROPERTIES SUFFIX .elf LINK_DEPENDS ${ARG_LINKER_SCRIPT})
endfunction()
