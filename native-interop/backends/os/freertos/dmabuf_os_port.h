/*
 * FreeRTOS port types (FreeRTOS-Kernel V10.x / V11.x).
 *
 * Every object is created with the *Static API in memory embedded here, so
 * the port never touches the FreeRTOS heap: needs
 * configSUPPORT_STATIC_ALLOCATION = 1.
 */
#ifndef DMABUF_OS_PORT_H
#define DMABUF_OS_PORT_H

#include "FreeRTOS.h"
#include "semphr.h"

#if !defined(configSUPPORT_STATIC_ALLOCATION) || configSUPPORT_STATIC_ALLOCATION != 1
#error "the DmaBuf FreeRTOS port needs configSUPPORT_STATIC_ALLOCATION = 1"
#endif

/* A FreeRTOS mutex (priority inheritance), in its own static storage. */
typedef struct {
	StaticSemaphore_t storage;
	SemaphoreHandle_t handle;
} dmabuf_mutex_t;

/* The interrupt mask saved by taskENTER_CRITICAL_FROM_ISR (BASEPRI on Cortex-M). */
typedef UBaseType_t dmabuf_irq_key_t;

/* A binary semaphore: given = set, taken = consumed. */
typedef struct {
	StaticSemaphore_t storage;
	SemaphoreHandle_t handle;
} dmabuf_event_t;

#endif /* DMABUF_OS_PORT_H */
