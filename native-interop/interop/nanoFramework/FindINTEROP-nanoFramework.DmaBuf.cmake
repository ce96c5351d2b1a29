#
# nf-interpreter interop module for nanoFramework.DmaBuf: the one way DmaBuf
# gets into an nf-interpreter firmware.
#
# nf-interpreter calls find_package(INTEROP-nanoFramework.DmaBuf) when
# NF_INTEROP_ASSEMBLIES names nanoFramework.DmaBuf, and compiles
# nanoFramework.DmaBuf_SOURCES with nanoFramework.DmaBuf_INCLUDE_DIRS into
# its NF_NativeAssemblies library. This module lists the interop layer itself
# (the method table and the per-class stubs of this folder), and leaves
# everything below it (core, OS port, boards, cache backend, adapters, the
# firmware context) to dmabuf_nf_add_firmware() of
# firmware/nf-interpreter/dmabuf-nf-interpreter.cmake, which decides per
# target; that file documents the targets and the DMABUF_NF_* options.
# Targets it has no DmaBuf for get the "unsupported" flavour of the stubs
# instead (dmabuf_nf_native_unsupported.cpp: DmaHeap.Open throws
# NotSupportedException), so an application still loads there.
#
# Finding this module: firmware/nf-interpreter/CMakeUserPresets.json sets
# CMAKE_PROJECT_nanoFramework_INCLUDE to dmabuf-nf-interpreter.cmake, which
# puts this folder on nf-interpreter's module path and defines
# dmabuf_nf_add_firmware before this module runs. Without that hook, this
# module includes dmabuf-nf-interpreter.cmake itself; if it was copied to
# nf-interpreter's CMake/Modules (the usual interop recipe), it finds this
# repository through DMABUF_ROOT (CMake variable or environment).
#

if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/dmabuf_nf_native.cpp")
    get_filename_component(DMABUF_ROOT "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
elseif(NOT DMABUF_ROOT AND DEFINED ENV{DMABUF_ROOT})
    file(TO_CMAKE_PATH "$ENV{DMABUF_ROOT}" DMABUF_ROOT)
endif()
set(DMABUF_NF_INTEROP_DIR "${DMABUF_ROOT}/native-interop/interop/nanoFramework")
if(NOT EXISTS "${DMABUF_NF_INTEROP_DIR}/dmabuf_nf_native.cpp")
    message(FATAL_ERROR "DmaBuf: set DMABUF_ROOT (CMake variable or environment) to the DmaBuf checkout "
                        "(this module is a copy, and '${DMABUF_ROOT}' is not one)")
endif()
if(NOT COMMAND dmabuf_nf_add_firmware)
    include("${DMABUF_ROOT}/firmware/nf-interpreter/dmabuf-nf-interpreter.cmake")
endif()

# dmabuf_nf_native.cpp first: nf-interpreter reads the sources one by one up
# to the one defining g_CLR_AssemblyNative_nanoFramework_DmaBuf, for the
# version and checksum it writes to native_assemblies.csv.
set(nanoFramework.DmaBuf_SOURCES "${DMABUF_NF_INTEROP_DIR}/dmabuf_nf_native.cpp")
set(nanoFramework.DmaBuf_INCLUDE_DIRS "${DMABUF_NF_INTEROP_DIR}" "${DMABUF_ROOT}/native-interop/include")

dmabuf_nf_add_firmware(nanoFramework.DmaBuf DMABUF_NF_SUPPORTED)
if(DMABUF_NF_SUPPORTED)
    file(GLOB DMABUF_NF_STUBS "${DMABUF_NF_INTEROP_DIR}/dmabuf_nf_native_nanoFramework_DmaBuf_*.cpp")
    list(APPEND nanoFramework.DmaBuf_SOURCES ${DMABUF_NF_STUBS} "${DMABUF_NF_INTEROP_DIR}/dmabuf_nf_wait.cpp"
         "${DMABUF_NF_INTEROP_DIR}/dmabuf_nf_test_signal.cpp")
    # The test hook's native thread exists only on the posix nanoCLR (OS port host).
    if(DMABUF_NF_OS_PORT STREQUAL "host")
        set_source_files_properties("${DMABUF_NF_INTEROP_DIR}/dmabuf_nf_test_signal.cpp" PROPERTIES
                                    COMPILE_DEFINITIONS DMABUF_NF_NATIVE_TEST_THREADS=1)
    endif()
    # A nanoCLR whose board memory is the host simulator (the posix nanoCLR):
    # the simulator and the target over it (dmabuf_nf_target_sim.c) come from
    # here, in place of a firmware's dmabuf_nf_target.cpp.
    if(DMABUF_NF_SIMULATED_BOARD)
        if(NOT DMABUF_NF_OS_PORT STREQUAL "host")
            message(FATAL_ERROR "DmaBuf: DMABUF_NF_SIMULATED_BOARD needs DMABUF_NF_OS_PORT=host")
        endif()
        file(GLOB DMABUF_NF_SIM_SOURCES "${DMABUF_ROOT}/native-interop/sim/*.c")
        list(APPEND DMABUF_NF_SIM_SOURCES "${DMABUF_ROOT}/native-interop/backends/cache_host_sim.c"
             "${DMABUF_NF_INTEROP_DIR}/dmabuf_nf_target_sim.c")
        if(DMABUF_NF_DEBUG)
            set_source_files_properties(${DMABUF_NF_SIM_SOURCES} PROPERTIES COMPILE_DEFINITIONS DMABUF_DEBUG=1)
        endif()
        list(APPEND nanoFramework.DmaBuf_SOURCES ${DMABUF_NF_SIM_SOURCES})
        list(APPEND nanoFramework.DmaBuf_INCLUDE_DIRS "${DMABUF_ROOT}/native-interop/sim" "${DMABUF_ROOT}/boards")
    endif()
else()
    list(APPEND nanoFramework.DmaBuf_SOURCES "${DMABUF_NF_INTEROP_DIR}/dmabuf_nf_native_unsupported.cpp")
endif()
list(REMOVE_DUPLICATES nanoFramework.DmaBuf_INCLUDE_DIRS)

include(FindPackageHandleStandardArgs)
FIND_PACKAGE_HANDLE_STANDARD_ARGS(INTEROP-nanoFramework.DmaBuf DEFAULT_MSG
    nanoFramework.DmaBuf_INCLUDE_DIRS nanoFramework.DmaBuf_SOURCES)
