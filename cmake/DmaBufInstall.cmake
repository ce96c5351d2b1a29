# `cmake --install` for C users (issue 17): the static libraries, the public headers, a
# DmaBufConfig.cmake giving the imported targets DmaBuf::core, DmaBuf::boards, DmaBuf::os and
# (host builds) DmaBuf::sim, and pkg-config files dmabuf.pc / dmabuf-sim.pc. The same
# DmaBuf:: names exist in-tree as aliases, so a project that adds this repository with
# add_subdirectory links exactly as one that finds the installed package.
#
# Installed header layout: include/dmabuf/*.h (the API, as in-tree), plus the host OS port's
# dmabuf_os_port.h beside os.h (os.h includes it by quotes, which searches os.h's own folder
# first), include/dmabuf/boards/boards.h and include/dmabuf/sim/sim.h, each folder on the
# include path of its target, so `#include "sim.h"` reads the same in-tree and installed.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(DMABUF_INSTALL_TARGETS dmabuf_os dmabuf_core dmabuf_boards)
if(TARGET dmabuf_sim)
  list(APPEND DMABUF_INSTALL_TARGETS dmabuf_sim)
endif()
foreach(target IN LISTS DMABUF_INSTALL_TARGETS)
  string(REPLACE "dmabuf_" "" short ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${short})
  add_library(DmaBuf::${short} ALIAS ${target})
endforeach()

set(DMABUF_INCLUDE_DIR ${CMAKE_INSTALL_INCLUDEDIR})
target_include_directories(dmabuf_os INTERFACE $<INSTALL_INTERFACE:${DMABUF_INCLUDE_DIR}>)
target_include_directories(dmabuf_boards INTERFACE $<INSTALL_INTERFACE:${DMABUF_INCLUDE_DIR}/dmabuf/boards>)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/native-interop/include/dmabuf DESTINATION ${DMABUF_INCLUDE_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/native-interop/backends/os/host/dmabuf_os_port.h DESTINATION ${DMABUF_INCLUDE_DIR}/dmabuf)
install(FILES ${PROJECT_SOURCE_DIR}/boards/boards.h DESTINATION ${DMABUF_INCLUDE_DIR}/dmabuf/boards)
if(TARGET dmabuf_sim)
  target_include_directories(dmabuf_sim INTERFACE $<INSTALL_INTERFACE:${DMABUF_INCLUDE_DIR}/dmabuf/sim>)
  install(FILES ${PROJECT_SOURCE_DIR}/native-interop/sim/sim.h DESTINATION ${DMABUF_INCLUDE_DIR}/dmabuf/sim)
endif()

set(DMABUF_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/DmaBuf)
install(TARGETS ${DMABUF_INSTALL_TARGETS} EXPORT DmaBufTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT DmaBufTargets NAMESPACE DmaBuf:: DESTINATION ${DMABUF_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/DmaBufConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/DmaBufConfig.cmake
                              INSTALL_DESTINATION ${DMABUF_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/DmaBufConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/DmaBufConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/DmaBufConfigVersion.cmake
        DESTINATION ${DMABUF_CMAKE_DIR})

set(DMABUF_PC_NAMES dmabuf)
if(TARGET dmabuf_sim)
  list(APPEND DMABUF_PC_NAMES dmabuf-sim)
endif()
# Relocatable: the prefix is found from the .pc file's own folder, so `cmake --install
# --prefix DIR` (a prefix chosen after configuring) gives correct paths.
file(RELATIVE_PATH DMABUF_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
foreach(pc IN LISTS DMABUF_PC_NAMES)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
