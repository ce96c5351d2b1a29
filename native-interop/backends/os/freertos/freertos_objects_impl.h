/*
 * The mutex and the event of the two ports on FreeRTOS kernels: vanilla
 * FreeRTOS (os_freertos.c) and ESP-IDF's SMP fork (../esp_idf/os_esp_idf.c).
 * Their semaphore APIs are the same; what differs (the interrupt lock, the
 * clock, how a signal asks for a task switch) stays in each port.
 *
 * DEFINITIONS, not declarations: each of those two files includes this once,
 * after dmabuf/os.h (whose dmabuf_os_port.h brings in the kernel's headers),
 * so the port needs no second source file in the build lists that glob a
 * port's directory.
 */
#ifndef DMABUF_FREERTOS_OBJECTS_IMPL_H
#define DMABUF_FREERTOS_OBJECTS_IMPL_H

#include <stdint.h>

#include "dmabuf/errors.h"
#include "dmabuf/os.h"

int dmabuf_mutex_init(dmabuf_mutex_t *mutex)
{
	mutex->handle = xSemaphoreCreateMutexStatic(&mutex->storage);
	return mutex->handle ? 0 : DMABUF_EINVAL;
}

void dmabuf_mutex_destroy(dmabuf_mutex_t *mutex)
{
	vSemaphoreDelete(mutex->handle);
}

void dmabuf_mutex_lock(dmabuf_mutex_t *mutex)
{
	xSemaphoreTake(mutex->handle, portMAX_DELAY);
}

void dmabuf_mutex_unlock(dmabuf_mutex_t *mutex)
{
	xSemaphoreGive(mutex->handle);
}

int dmabuf_event_init(dmabuf_event_t *event)
{
	/* Created empty (taken): the first wait blocks until a signal. */
	event->handle = xSemaphoreCreateBinaryStatic(&event->storage);
	return event->handle ? 0 : DMABUF_EINVAL;
}

void dmabuf_event_destroy(dmabuf_event_t *event)
{
	vSemaphoreDelete(event->handle);
}

/* Ticks to block for @timeout_us (0 = poll, UINT32_MAX = forever): rounded
 * up, plus one because the current tick is already partly over, so the wait
 * lasts at least @timeout_us; a finite wait never becomes portMAX_DELAY. */
static TickType_t timeout_ticks(uint32_t timeout_us)
{
	if (timeout_us == 0)
		return 0;
	if (timeout_us == UINT32_MAX)
		return portMAX_DELAY;
	uint64_t ticks = ((uint64_t)timeout_us * configTICK_RATE_HZ + 999999u) / 1000000u + 1u;
	return ticks >= portMAX_DELAY ? portMAX_DELAY - 1u : (TickType_t)ticks;
}

int dmabuf_event_wait(dmabuf_event_t *event, uint32_t timeout_us)
{
	return xSemaphoreTake(event->handle, timeout_ticks(timeout_us)) == pdTRUE ? 0 : DMABUF_ETIMEDOUT;
}

#endif /* DMABUF_FREERTOS_OBJECTS_IMPL_H */
