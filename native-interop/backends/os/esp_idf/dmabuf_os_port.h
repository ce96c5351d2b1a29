/*
 * ESP-IDF port types (ESP-IDF 5.x FreeRTOS, SMP: ESP32-S3 Xtensa, ESP32-P4
 * RISC-V). NOT COMPILED ON CI: there is no ESP-IDF on these machines; compiled
 * by hand for esp32p4 against ESP-IDF v5.5.4 (docs/FIRMWARE-BUILDS.md) and
 * built by nf-interpreter ESP32 firmware (firmware/nf-interpreter/dmabuf-nf-interpreter.cmake).
 *
 * Objects are created with the *Static API in memory embedded here: the port
 * never touches the heap (ESP-IDF enables configSUPPORT_STATIC_ALLOCATION).
 */
#ifndef DMABUF_OS_PORT_H
#define DMABUF_OS_PORT_H

#include <stdint.h>

#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"

#if !defined(configSUPPORT_STATIC_ALLOCATION) || configSUPPORT_STATIC_ALLOCATION != 1
#error "the DmaBuf ESP-IDF port needs configSUPPORT_STATIC_ALLOCATION = 1"
#endif

/* A FreeRTOS mutex (priority inheritance), in its own static storage. */
typedef struct {
	StaticSemaphore_t storage;
	SemaphoreHandle_t handle;
} dmabuf_mutex_t;

/* Unused: ESP-IDF critical sections count their own nesting per core and
 * restore the interrupt level saved at the outermost entry. */
typedef uint8_t dmabuf_irq_key_t;

/* A binary semaphore: given = set, taken = consumed. */
typedef struct {
	StaticSemaphore_t storage;
	SemaphoreHandle_t handle;
} dmabuf_event_t;

#endif /* DMABUF_OS_PORT_H */
