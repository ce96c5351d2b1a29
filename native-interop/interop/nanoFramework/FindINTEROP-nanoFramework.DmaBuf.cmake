#
# nf-interpreter interop module for nanoFramework.DmaBuf.
#
# Use: put this folder on CMAKE_MODULE_PATH and add the assembly to the
# firmware's interop list, e.g.
#   -DNF_INTEROP_ASSEMBLIES="nanoFramework.DmaBuf"
#   -DCMAKE_MODULE_PATH=<repo>/native-interop/interop/nanoFramework
# nf-interpreter then calls find_package(INTEROP-nanoFramework.DmaBuf) and
# compiles nanoFramework.DmaBuf_SOURCES with nanoFramework.DmaBuf_INCLUDE_DIRS.
#
# Options (cache variables):
#   DMABUF_NF_OS_PORT        freertos | chibios | baremetal | none. Default from
#                            nf-interpreter's RTOS (FREERTOS, ESP32 -> freertos;
#                            CHIBIOS -> chibios); none otherwise.
#                            "none" builds only stubs answering NotSupported.
#   DMABUF_NF_CACHE_BACKEND  none | cortex_m7 | esp (default none).
#   DMABUF_NF_BOARD          board file in boards/ without ".c", e.g.
#                            stm32f769i_disco; every board is compiled if empty.
# The firmware integration provides dmabuf_nf_context()/dmabuf_nf_board()
# (dmabuf_nf_target.h); without it DmaHeap.Open reports NotSupported.
#

get_filename_component(DMABUF_NF_INTEROP_DIR "${CMAKE_CURRENT_LIST_DIR}" ABSOLUTE)
get_filename_component(DMABUF_ROOT "${DMABUF_NF_INTEROP_DIR}/../../.." ABSOLUTE)

if(NOT DEFINED DMABUF_NF_OS_PORT)
    if("${RTOS}" STREQUAL "FREERTOS" OR "${RTOS}" STREQUAL "ESP32")
        set(DMABUF_NF_OS_PORT freertos)
    elseif("${RTOS}" STREQUAL "CHIBIOS")
        set(DMABUF_NF_OS_PORT chibios)
    else()
        set(DMABUF_NF_OS_PORT none)
    endif()
endif()
set(DMABUF_NF_OS_PORT "${DMABUF_NF_OS_PORT}" CACHE STRING "DmaBuf OS port for the firmware")
set(DMABUF_NF_CACHE_BACKEND "none" CACHE STRING "DmaBuf cache backend for the firmware: none, cortex_m7, esp")
set(DMABUF_NF_BOARD "" CACHE STRING "DmaBuf board file (boards/<name>.c); all boards when empty")

set(nanoFramework.DmaBuf_INCLUDE_DIRS
    ${DMABUF_NF_INTEROP_DIR}
    ${DMABUF_ROOT}/native-interop/include)

# The method table and the shared helpers are common to both flavours.
set(nanoFramework.DmaBuf_SOURCES ${DMABUF_NF_INTEROP_DIR}/dmabuf_nf_native.cpp)

if("${DMABUF_NF_OS_PORT}" STREQUAL "none")
    list(APPEND nanoFramework.DmaBuf_SOURCES ${DMABUF_NF_INTEROP_DIR}/dmabuf_nf_native_unsupported.cpp)
else()
    file(GLOB DMABUF_NF_STUBS ${DMABUF_NF_INTEROP_DIR}/dmabuf_nf_native_nanoFramework_DmaBuf_*.cpp)
    file(GLOB DMABUF_NF_CORE ${DMABUF_ROOT}/native-interop/core/*.c)
    file(GLOB DMABUF_NF_OS ${DMABUF_ROOT}/native-interop/backends/os/${DMABUF_NF_OS_PORT}/*.c)
    if(DMABUF_NF_BOARD)
        set(DMABUF_NF_BOARDS ${DMABUF_ROOT}/boards/${DMABUF_NF_BOARD}.c)
    else()
        file(GLOB DMABUF_NF_BOARDS ${DMABUF_ROOT}/boards/*.c)
        list(REMOVE_ITEM DMABUF_NF_BOARDS ${DMABUF_ROOT}/boards/registry.c)
    endif()

    list(APPEND nanoFramework.DmaBuf_SOURCES
        ${DMABUF_NF_STUBS}
        ${DMABUF_NF_CORE}
        ${DMABUF_ROOT}/native-interop/backends/cache_none.c
        ${DMABUF_NF_OS}
        ${DMABUF_NF_BOARDS})
    list(APPEND nanoFramework.DmaBuf_INCLUDE_DIRS
        ${DMABUF_ROOT}/native-interop/core
        ${DMABUF_ROOT}/native-interop/backends/os/${DMABUF_NF_OS_PORT}
        ${DMABUF_ROOT}/boards)

    if("${DMABUF_NF_CACHE_BACKEND}" STREQUAL "cortex_m7")
        set(DMABUF_NF_BACKEND_SOURCE ${DMABUF_ROOT}/native-interop/backends/cache_cortex_m7.c)
        set(DMABUF_NF_BACKEND_DEFINE DMABUF_BACKEND_CORTEX_M7)
    elseif("${DMABUF_NF_CACHE_BACKEND}" STREQUAL "esp")
        set(DMABUF_NF_BACKEND_SOURCE ${DMABUF_ROOT}/native-interop/backends/cache_esp.c)
        set(DMABUF_NF_BACKEND_DEFINE DMABUF_BACKEND_ESP)
    endif()
    if(DMABUF_NF_BACKEND_SOURCE)
        list(APPEND nanoFramework.DmaBuf_SOURCES ${DMABUF_NF_BACKEND_SOURCE})
        # cache.h declares the backend only where it is built.
        set_source_files_properties(${nanoFramework.DmaBuf_SOURCES} PROPERTIES
            COMPILE_DEFINITIONS ${DMABUF_NF_BACKEND_DEFINE})
    endif()
endif()

include(FindPackageHandleStandardArgs)
FIND_PACKAGE_HANDLE_STANDARD_ARGS(INTEROP-nanoFramework.DmaBuf DEFAULT_MSG
    nanoFramework.DmaBuf_INCLUDE_DIRS nanoFramework.DmaBuf_SOURCES)
