#
# DmaBuf in an nf-interpreter firmware build: the firmware side of the
# nanoFramework.DmaBuf interop assembly (core, OS port, boards, cache backend,
# and on the supported targets the peripheral adapters and the firmware
# context). The interop side (the method table and the per-class stubs) is
# listed by FindINTEROP-nanoFramework.DmaBuf.cmake, which is the one entry
# point: nf-interpreter calls find_package(INTEROP-nanoFramework.DmaBuf) for
# every assembly in NF_INTEROP_ASSEMBLIES, and that module calls
#   dmabuf_nf_add_firmware(nanoFramework.DmaBuf <result variable>)
# defined here. This file gets loaded in one of two ways:
#  * as nf-interpreter's CMAKE_PROJECT_nanoFramework_INCLUDE (see
#    CMakeUserPresets.json next to this file). nf-interpreter *sets*
#    CMAKE_MODULE_PATH before its project() call, so a module path given on
#    the command line is lost; this file runs right after project() and
#    appends native-interop/interop/nanoFramework, so the FindINTEROP module
#    is found where it is, with nothing copied into the nf-interpreter tree;
#  * included by FindINTEROP-nanoFramework.DmaBuf.cmake when
#    dmabuf_nf_add_firmware is not defined yet (the module was put on the
#    module path some other way, or copied to nf-interpreter's CMake/Modules
#    with DMABUF_ROOT naming this repository).
#
# What the firmware gets, by RTOS / TARGET_SERIES (from the target's defconfig):
#   ChibiOS / STM32F7xx  ST_STM32F769I_DISCOVERY  board stm32f769i-disco,
#                        OS port chibios, Cortex-M7 backend, STM32 adapters,
#                        and that board's peripheral wiring
#                        (dmabuf_board_stm32f769i_disco.c)
#   ESP32 / ESP32_S3     ESP32_S3_OCTAL           board esp32s3-octal-psram,
#                        OS port esp_idf, ESP backend, GDMA chain + link;
#                        DMABUF_NF_ESP_LCD: the esp_lcd hand-over and the SPI
#                        panel binding; DMABUF_NF_ESP_CAM: the esp_cam_ctlr
#                        hand-over and the camera binding
#   ESP32 / ESP32_P4     ESP32_P4                 board esp32p4, as above, and
#                        with DMABUF_NF_ESP_LCD the DPI display binding; with
#                        either option the ESP32-P4-Function-EV-Board's
#                        peripheral wiring
#                        (dmabuf_board_esp32p4_function_ev_esp_idf.c)
#   any other, with DMABUF_NF_OS_PORT set: a custom target. Core, that port,
#                        every board and DMABUF_NF_CACHE_BACKEND (none if
#                        empty); no adapters and no firmware context: the
#                        target defines dmabuf_nf_context() & co. itself
#                        (native-interop/interop/nanoFramework/dmabuf_nf_target.h).
#                        With DMABUF_NF_SIMULATED_BOARD (port host: the
#                        posix nanoCLR) the interop module brings that
#                        target: the host simulator as board memory and its
#                        peripherals (interop/nanoFramework/dmabuf_nf_target_sim.c).
#   any other, no port (or DMABUF_NF_OS_PORT=none): nothing; the interop is
#                        then built as stubs for which DmaHeap.Open throws
#                        NotSupportedException.
#
include_guard(GLOBAL)

get_filename_component(DMABUF_ROOT "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
list(APPEND CMAKE_MODULE_PATH "${DMABUF_ROOT}/native-interop/interop/nanoFramework")

set(DMABUF_NF_BOARD "" CACHE STRING
    "DmaBuf board name (boards/) the firmware context uses; empty: the one that goes with the nf-interpreter target")
set(DMABUF_NF_OS_PORT "" CACHE STRING
    "DmaBuf OS port (native-interop/backends/os/<port>); empty: the target's; none: NotSupported stubs")
set(DMABUF_NF_CACHE_BACKEND "" CACHE STRING
    "DmaBuf cache backend: none, cortex_m7 or esp; empty: the target's (none on a custom target)")
option(DMABUF_NF_DEBUG "Compile DmaBuf's failure and checker messages in (DMABUF_DEBUG)" OFF)
option(DMABUF_NF_CHECKER "Start DmaBuf with its ownership checker on" OFF)
option(DMABUF_NF_SIMULATED_BOARD "Custom target with port host: the host simulator is the board (posix nanoCLR)" OFF)
option(DMABUF_NF_ESP_LCD "ESP32: compile the esp_lcd hand-over and the display / SPI panel bindings (the firmware must build the esp_lcd component)" OFF)
option(DMABUF_NF_ESP_CAM "ESP32: compile the esp_cam_ctlr hand-over and the camera binding (the firmware must build esp_driver_cam, and on the ESP32-P4 esp_driver_isp)" OFF)
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
# <assembly>_INCLUDE_DIRS in the caller's scope, and set <supported> to TRUE,
# or leave both lists alone and set <supported> to FALSE when the target has
# no DmaBuf support (the caller then builds the NotSupported stubs).
#
# Call it from the directory where nf-interpreter creates NF_NativeAssemblies
# (the FindINTEROP module runs there): the compile definitions below are
# source-file properties, which CMake scopes to that directory.
function(dmabuf_nf_add_firmware assembly supported)
  set(adapters)
  set(wiring)
  set(includes)
  set(esp_parts)
  set(glue ON)
  if(DMABUF_NF_OS_PORT STREQUAL "none")
    set(unsupported "DMABUF_NF_OS_PORT is none")
  elseif(RTOS STREQUAL "ChibiOS" AND TARGET_SERIES STREQUAL "STM32F7xx")
    set(board stm32f769i-disco)
    set(port chibios)
    set(platform DMABUF_FIRMWARE_CHIBIOS)
    set(backend cortex_m7)
    file(GLOB adapters ${DMABUF_ROOT}/firmware/adapters/stm32/*.c)
    # The peripheral contract's adapters share their job code.
    list(APPEND adapters ${DMABUF_ROOT}/firmware/adapters/peripheral_job.c)
    if(TARGET_BOARD STREQUAL "ST_STM32F769I_DISCOVERY")
      # The board's camera, display and SPI panel under the demo's names.
      set(wiring ${DMABUF_ROOT}/firmware/nf-interpreter/dmabuf_board_stm32f769i_disco.c
                 ${DMABUF_ROOT}/firmware/nf-interpreter/dmabuf_board_stm32f769i_disco_chibios.c)
    elseif(NOT DMABUF_NF_BOARD)
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
    set(backend esp)
    set(esp ${DMABUF_ROOT}/firmware/adapters/esp)
    set(adapters ${esp}/esp_gdma_chain.c ${esp}/esp_gdma_link.c)
    if(DEFINED IDF_PATH_CMAKED)
      set(idf ${IDF_PATH_CMAKED})
    else()
      file(TO_CMAKE_PATH "$ENV{IDF_PATH}" idf)
    endif()
    # esp_cache.h: nf-interpreter's ESP32_IDF_INCLUDE_DIRS leave esp_mm out.
    list(APPEND includes ${idf}/components/esp_mm/include)
    # The peripheral contract's bindings share their job code (with the STM32 adapters).
    if(DMABUF_NF_ESP_LCD OR DMABUF_NF_ESP_CAM)
      list(APPEND adapters ${DMABUF_ROOT}/firmware/adapters/peripheral_job.c)
    endif()
    if(DMABUF_NF_ESP_LCD)
      list(APPEND adapters ${esp}/esp_lcd_handover.c ${esp}/esp_spi_panel.c)
      list(APPEND includes ${idf}/components/esp_lcd/include ${idf}/components/esp_lcd/interface)
      if(TARGET_SERIES STREQUAL "ESP32_P4")
        # MIPI-DSI exists on the ESP32-P4 only.
        list(APPEND adapters ${esp}/esp_dpi_display.c)
        list(APPEND includes ${idf}/components/esp_lcd/dsi/include)
        # The wiring lends the DPI panel's frame buffers to DmaBuf as pools.
        list(APPEND adapters ${DMABUF_ROOT}/firmware/nf-interpreter/dmabuf_dpi_pools_esp_idf.c)
        string(APPEND esp_parts "#define DMABUF_FIRMWARE_BOARD_POOLS 1\n")
      endif()
      string(APPEND esp_parts "#define DMABUF_FIRMWARE_ESP_LCD 1\n")
    endif()
    if(DMABUF_NF_ESP_CAM)
      list(APPEND adapters ${esp}/esp_cam_handover.c ${esp}/esp_camera.c)
      list(APPEND includes ${idf}/components/esp_driver_cam/include ${idf}/components/esp_driver_cam/csi/include
           ${idf}/components/esp_driver_isp/include)
      string(APPEND esp_parts "#define DMABUF_FIRMWARE_ESP_CAM 1\n")
    endif()
    if(TARGET_SERIES STREQUAL "ESP32_P4" AND (DMABUF_NF_ESP_LCD OR DMABUF_NF_ESP_CAM))
      # The ESP32-P4-Function-EV-Board's camera, display and SPI panel under
      # the demo's names (esp_ldo_regulator.h: the MIPI PHY's supply).
      set(wiring ${DMABUF_ROOT}/firmware/nf-interpreter/dmabuf_board_esp32p4_function_ev_esp_idf.c)
      list(APPEND includes ${idf}/components/esp_hw_support/ldo/include)
    endif()
  elseif(DMABUF_NF_OS_PORT)
    # Custom target: its own code makes the context, over its own board and
    # memory, so none of the firmware context or adapters below.
    set(backend none)
    set(glue OFF)
  else()
    set(unsupported "no integration for RTOS '${RTOS}', series '${TARGET_SERIES}' (a custom target sets DMABUF_NF_OS_PORT)")
  endif()
  if(DEFINED unsupported)
    message(STATUS "DmaBuf: ${unsupported}; DmaHeap.Open throws NotSupportedException")
    set(${supported} FALSE PARENT_SCOPE)
    return()
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
  if(DMABUF_NF_CACHE_BACKEND)
    set(backend ${DMABUF_NF_CACHE_BACKEND})
  endif()
  # cache.h declares a chip's backend only where its define is set, so the
  # define goes on every DmaBuf source, not just the backend's own file.
  if(backend STREQUAL "cortex_m7")
    set(definitions DMABUF_BACKEND_CORTEX_M7)
  elseif(backend STREQUAL "esp")
    set(definitions DMABUF_BACKEND_ESP)
  elseif(backend STREQUAL "none")
    set(definitions)
  else()
    message(FATAL_ERROR "DmaBuf: DMABUF_NF_CACHE_BACKEND '${backend}' is not one of none, cortex_m7, esp")
  endif()
  if(DMABUF_NF_DEBUG)
    list(APPEND definitions DMABUF_DEBUG=1)
  endif()

  # Every board: registry.c lists them all (boards.h), and the firmware
  # looks its own up by name.
  file(GLOB core ${DMABUF_ROOT}/native-interop/core/*.c ${DMABUF_ROOT}/native-interop/frames/*.c)
  file(GLOB port_sources ${port_dir}/*.c)
  file(GLOB boards ${DMABUF_ROOT}/boards/*.c)
  set(backends ${DMABUF_ROOT}/native-interop/backends)
  set(sources ${core} ${port_sources} ${boards} ${backends}/cache_none.c)
  if(NOT backend STREQUAL "none")
    list(APPEND sources ${backends}/cache_${backend}.c)
  endif()
  set(include_dirs ${DMABUF_ROOT}/native-interop/include ${port_dir} ${DMABUF_ROOT}/boards)

  if(glue)
    set(firmware ${DMABUF_ROOT}/firmware/nf-interpreter)
    list(APPEND sources ${adapters} ${wiring}
         ${firmware}/dmabuf_firmware.c ${firmware}/dmabuf_runtime_board.c ${firmware}/dmabuf_nf_target.cpp)
    set(config_dir ${CMAKE_BINARY_DIR}/dmabuf)
    list(APPEND include_dirs ${DMABUF_ROOT}/firmware/adapters ${firmware} ${config_dir} ${includes})
    if(wiring)
      set(peripherals "#define DMABUF_FIRMWARE_BOARD_PERIPHERALS 1\n#define DMABUF_FIRMWARE_BOARD_HAL 1")
    else()
      set(peripherals "/* no board peripheral wiring for this target */")
    endif()
    if(DMABUF_NF_CHECKER)
      set(checker true)
    else()
      set(checker false)
    endif()
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
${peripherals}
${esp_parts}")
    message(STATUS "DmaBuf: board '${board}', OS port '${port}', cache backend '${backend}'")
  else()
    message(STATUS "DmaBuf: custom target, OS port '${port}', cache backend '${backend}'; "
                   "the target provides dmabuf_nf_context() and the rest of dmabuf_nf_target.h")
  endif()

  set_source_files_properties(${sources} PROPERTIES COMPILE_DEFINITIONS "${definitions}")
  set(${assembly}_SOURCES ${${assembly}_SOURCES} ${sources} PARENT_SCOPE)
  set(${assembly}_INCLUDE_DIRS ${${assembly}_INCLUDE_DIRS} ${include_dirs} PARENT_SCOPE)
  set(${supported} TRUE PARENT_SCOPE)
endfunction()
