/*
 * FreeRTOS port (os.h).
 *
 * The interrupt lock is taskENTER_CRITICAL_FROM_ISR from every context, task
 * or ISR: it saves and restores the previous mask, so it nests, and unlike
 * taskENTER_CRITICAL it does not depend on the task's critical nesting count
 * (which an ISR must not touch). The trap that follows: inside this lock only
 * FromISR functions may be called. A task-level API (xSemaphoreGive) would
 * run taskEXIT_CRITICAL, which unmasks interrupts completely when its own
 * count drops to zero, in the middle of our critical section.
 *
 * So dmabuf_event_signal, which fence callbacks call under the lock, always
 * uses xSemaphoreGiveFromISR and portYIELD_FROM_ISR. On the Cortex-M ports
 * both are valid in task context too: the yield only pends PendSV, and the
 * switch happens when the mask is lifted (at dmabuf_irq_unlock in a task, at
 * exception return in an ISR). Ports where a FromISR call from a task is not
 * allowed need their own event_signal.
 *
 * ESP-IDF's FreeRTOS is a different kernel fork (spinlock-based critical
 * sections taking a portMUX_TYPE): it has its own port, ../esp_idf.
 */
#include <stdint.h>

#include "dmabuf/os.h"
#include "freertos_objects_impl.h" /* the mutex and the event */
#include "task.h"

_Static_assert(sizeof(TickType_t) >= 4, "16-bit ticks wrap within a minute: the clock below needs >= 32 bits");

dmabuf_irq_key_t dmabuf_irq_lock(void)
{
	return taskENTER_CRITICAL_FROM_ISR();
}

void dmabuf_irq_unlock(dmabuf_irq_key_t key)
{
	taskEXIT_CRITICAL_FROM_ISR(key);
}

/*
 * Ticks since start as 64 bits: the tick counter wraps (after 49 days at
 * 1 kHz with 32-bit ticks), so the elapsed ticks are accumulated modulo the
 * counter's width. Correct as long as the clock is read at least once per
 * wrap period, which every wait with a timeout does.
 */
static TickType_t clock_last;
static uint64_t clock_ticks;

uint64_t dmabuf_time_us(void)
{
	UBaseType_t key = taskENTER_CRITICAL_FROM_ISR();
	TickType_t now = xTaskGetTickCountFromISR();
	clock_ticks += (TickType_t)(now - clock_last);
	clock_last = now;
	uint64_t ticks = clock_ticks;
	taskEXIT_CRITICAL_FROM_ISR(key);
	/* Split so ticks * 1e6 cannot overflow. */
	return ticks / configTICK_RATE_HZ * 1000000u + ticks % configTICK_RATE_HZ * 1000000u / configTICK_RATE_HZ;
}

void dmabuf_event_signal(dmabuf_event_t *event)
{
	BaseType_t woken = pdFALSE;
	/* Giving an already given binary semaphore fails harmlessly: it stays set. */
	xSemaphoreGiveFromISR(event->handle, &woken);
	portYIELD_FROM_ISR(woken);
}
