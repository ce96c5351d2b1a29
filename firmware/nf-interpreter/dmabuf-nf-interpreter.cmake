#
# DmaBuf in an nf-interpreter firmware build: the firmware side of the
# nanoFramework.DmaBuf interop assembly (core, board, cache backend, OS port,
# firmware context, peripheral adapters).
#
# Used in two ways:
#  * as nf-interpreter's CMAKE_PROJECT_nanoFramework_INCLUDE (see
#    CMakeUserPresets.json next to this file). nf-interpreter *sets*
#    CMAKE_MODULE_PATH before its project() call, so a module path given on
#    the command line is lost; this file runs right after project() and
#    appends native-interop/interop/nanoFramework, so
#    find_package(INTEROP-nanoFramework.DmaBuf) finds the module where it is,
#    with nothing copied into the nf-interpreter tree;
#  * included by FindINTEROP-nanoFramework.DmaBuf.cmake itself when that
#    module was copied to nf-interpreter's CMake/Modules instead.
#
# FindINTEROP-nanoFramework.DmaBuf.cmake then calls
#   dmabuf_nf_add_firmware(nanoFramework.DmaBuf)
# which appends the firmware sources and include directories to
# nanoFramework.DmaBuf_SOURCES / nanoFramework.DmaBuf_INCLUDE_DIRS.
#
# Supported targets (RTOS / TARGET_SERIES from the target's defconfig):
#   ChibiOS / STM32F7xx  ST_STM32F769I_DISCOVERY  board stm32f769i-disco,
#                        OS port chibios, Cortex-M7 backend, STM32 adapters
#   ESP32 / ESP32_S3     ESP32_S3_OCTAL           board esp32s3-octal-psram,
#                        OS port esp_idf, ESP backend, GDMA chain + link
#   ESP32 / ESP32_P4     ESP32_P4                 board esp32p4, as above
#
include_guard(GLOBAL)

get_filename_component(DMABUF_ROOT "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
list(APPEND CMAKE_MODULE_PATH "${DMABUF_ROOT}/native-interop/interop/nanoFramework")

set(DMABUF_NF_BOARD "" CACHE STRING
    "DmaBuf board name (boards/); empty: the one that goes with the nf-interpreter target")
set(DMABUF_NF_OS_PORT "" CACHE STRING
    "DmaBuf OS port (native-interop/backends/os/<port>); empty: chibios on ChibiOS, esp_idf on ESP32")
option(DMABUF_NF_DEBUG "Compile DmaBuf's failure and checker messages in (DMABUF_DEBUG)" OFF)
option(DMABUF_NF_CHECKER "Start DmaBuf with its ownership checker on" OFF)
option(DMABUF_NF_ESP_LCD "ESP32: compile the esp_lcd hand-over (the firmware must build the esp_lcd component)" OFF)
option(DMABUF_NF_ESP_CAM "ESP32: compile the esp_cam_ctlr hand-over (the firmware must build esp_driver_cam)" OFF)
set(DMABUF_NF_MAX_BUFFERS 16 CACHE STRING "DmaBuf buffers alive at once")
set(DMABUF_NF_MAX_ATTACHMENTS 32 CACHE STRING "DmaBuf attachments alive at once")
set(DMABUF_NF_MAX_FENCES 32 CACHE STRING "DmaBuf fences alive at once")
set(DMABUF_NF_SRAM_POOL_BYTES 98304 CACHE STRING
    "ChibiOS: bytes of SRAM1 (.ram0 section) given to DmaBuf")
set(DMABUF_NF_INTERNAL_POOL_BYTES 32768 CACHE STRING
    "ESP32: bytes of internal DMA-capable RAM given to DmaBuf")
set(DMABUF_NF_PSRAM_POOL_BYTES 524288 CACHE STRING
    "ESP32: bytes of PSRAM given to DmaBuf (taken from ESP32_RESERVE_SPIRAM_IDF_ALLOCATION_BYTES)")

# Append the firmware side of DmaBuf to <assembly>_SOURCES and
# <assembly>_INCLUDE_DIRS in the caller's scope.
#
# Call it from the directory where nf-interpreter creates NF_NativeAssemblies
# (the FindINTEROP module runs there): the compile definitions below are
# source-file properties, which CMake scopes to that directory.
function(dmabuf_nf_add_firmware assembly)
  set(adapters)
  set(includes)
  if(RTOS STREQUAL "ChibiOS" AND TARGET_SERIES STREQUAL "STM32F7xx")
    set(board stm32f769i-disco)
    set(port chibios)
    set(platform DMABUF_FIRMWARE_CHIBIOS)
    set(backend DMABUF_BACKEND_CORTEX_M7)
    set(backend_source cache_cortex_m7.c)
    file(GLOB adapters ${DMABUF_ROOT}/firmware/adapters/stm32/*.c)
    if(NOT TARGET_BOARD STREQUAL "ST_STM32F769I_DISCOVERY" AND NOT DMABUF_NF_BOARD)
      message(FATAL_ERROR "DmaBuf: ${TARGET_BOARD} needs its own board description; set DMABUF_NF_BOARD")
    endif()
  elseif(RTOS STREQUAL "ESP32" AND TARGET_SERIES MATCHES "^ESP32_(S3|P4)$")
    if(TARGET_SERIES STREQUAL "ESP32_S3")
      set(board esp32s3-octal-psram)
    else()
      set(board esp32p4)
    endif()
    set(port esp_idf)
    set(platform DMABUF_FIRMWARE_ESP_IDF)
    set(backend DMABUF_BACKEND_ESP)
    set(backend_source cache_esp.c)
    set(esp ${DMABUF_ROOT}/firmware/adapters/esp)
    set(adapters ${esp}/esp_gdma_chain.c ${esp}/esp_gdma_link.c)
    if(DEFINED IDF_PATH_CMAKED)
      set(idf ${IDF_PATH_CMAKED})
    else()
      file(TO_CMAKE_PATH "$ENV{IDF_PATH}" idf)
    endif()
    # esp_cache.h: nf-interpreter's ESP32_IDF_INCLUDE_DIRS leave esp_mm out.
    list(APPEND includes ${idf}/components/esp_mm/include)
    if(DMABUF_NF_ESP_LCD)
      list(APPEND adapters ${esp}/esp_lcd_handover.c)
      list(APPEND includes ${idf}/components/esp_lcd/include ${idf}/components/esp_lcd/interface)
    endif()
    if(DMABUF_NF_ESP_CAM)
      list(APPEND adapters ${esp}/esp_cam_handover.c)
      list(APPEND includes ${idf}/components/esp_driver_cam/include)
    endif()
  else()
    message(FATAL_ERROR "DmaBuf: no firmware integration for RTOS '${RTOS}', series '${TARGET_SERIES}'")
  endif()
  if(DMABUF_NF_BOARD)
    set(board ${DMABUF_NF_BOARD})
  endif()
  if(DMABUF_NF_OS_PORT)
    set(port ${DMABUF_NF_OS_PORT})
  endif()
  set(port_dir ${DMABUF_ROOT}/native-interop/backends/os/${port})
  if(NOT EXISTS ${port_dir}/dmabuf_os_port.h)
    message(FATAL_ERROR "DmaBuf: OS port '${port}' not found in ${port_dir}")
  endif()

  file(GLOB core ${DMABUF_ROOT}/native-interop/core/*.c)
  file(GLOB port_sources ${port_dir}/*.c)
  file(GLOB boards ${DMABUF_ROOT}/boards/*.c)
  set(firmware ${DMABUF_ROOT}/firmware/nf-interpreter)
  set(sources ${core} ${DMABUF_ROOT}/native-interop/backends/cache_none.c
      ${DMABUF_ROOT}/native-interop/backends/${backend_source} ${port_sources} ${boards} ${adapters}
      ${firmware}/dmabuf_firmware.c ${firmware}/dmabuf_runtime_board.c ${firmware}/dmabuf_nf_target.cpp)

  set(definitions ${backend})
  if(DMABUF_NF_DEBUG)
    list(APPEND definitions DMABUF_DEBUG=1)
  endif()
  set_source_files_properties(${sources} PROPERTIES COMPILE_DEFINITIONS "${definitions}")

  if(DMABUF_NF_CHECKER)
    set(checker true)
  else()
    set(checker false)
  endif()
  set(config_dir ${CMAKE_BINARY_DIR}/dmabuf)
  # Rewritten only when the content changes, so a reconfigure rebuilds nothing.
  file(CONFIGURE OUTPUT ${config_dir}/dmabuf_firmware_config.h CONTENT
"/* Written by firmware/nf-interpreter/dmabuf-nf-interpreter.cmake: do not edit. */
#define ${platform} 1
#define DMABUF_FIRMWARE_BOARD \"${board}\"
#define DMABUF_FIRMWARE_MAX_BUFFERS ${DMABUF_NF_MAX_BUFFERS}u
#define DMABUF_FIRMWARE_MAX_ATTACHMENTS ${DMABUF_NF_MAX_ATTACHMENTS}u
#define DMABUF_FIRMWARE_MAX_FENCES ${DMABUF_NF_MAX_FENCES}u
#define DMABUF_FIRMWARE_SRAM_POOL_BYTES ${DMABUF_NF_SRAM_POOL_BYTES}u
#define DMABUF_FIRMWARE_INTERNAL_POOL_BYTES ${DMABUF_NF_INTERNAL_POOL_BYTES}u
#define DMABUF_FIRMWARE_PSRAM_POOL_BYTES ${DMABUF_NF_PSRAM_POOL_BYTES}u
#define DMABUF_FIRMWARE_CHECKER ${checker}
")

  message(STATUS "DmaBuf: board '${board}', OS port '${port}', ${backend}")
  set(${assembly}_SOURCES ${${assembly}_SOURCES} ${sources} PARENT_SCOPE)
  set(${assembly}_INCLUDE_DIRS ${${assembly}_INCLUDE_DIRS} ${DMABUF_ROOT}/native-interop/include
      ${DMABUF_ROOT}/native-interop/interop/nanoFramework ${port_dir} ${DMABUF_ROOT}/boards
      ${DMABUF_ROOT}/firmware/adapters ${firmware} ${config_dir} ${includes} PARENT_SCOPE)
endfunction()
