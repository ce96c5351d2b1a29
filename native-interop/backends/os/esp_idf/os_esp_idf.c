/*
 * ESP-IDF port (os.h). NOT COMPILED ON CI: there is no ESP-IDF on these
 * machines. Compiled by hand for esp32p4 against ESP-IDF v5.5.4
 * (docs/FIRMWARE-BUILDS.md; not for Xtensa), and built by nf-interpreter
 * ESP32 firmware, which picks this directory as OS port
 * "esp_idf" (firmware/nf-interpreter/dmabuf-nf-interpreter.cmake).
 *
 * The interrupt lock: on a dual-core chip, masking interrupts keeps out only
 * this core's ISRs, so ESP-IDF's critical sections also take a spinlock
 * (portMUX_TYPE). One spinlock serves all of DmaBuf. The _SAFE variants pick
 * the task or ISR form at run time, so the same call works from a task and
 * from an ISR on either core, and the sections nest (the port counts per
 * core and re-enables interrupts at the outermost exit).
 *
 * The trap: inside a critical section nothing may block or yield, yet fence
 * callbacks signal waiters' events under this lock. dmabuf_event_signal
 * therefore always gives with xSemaphoreGiveFromISR, which neither blocks
 * nor yields, and asks for the switch itself: from an ISR with
 * portYIELD_FROM_ISR (taken at the ISR's exit); from a task with
 * portYIELD_WITHIN_API, the kernel's own request for a switch while
 * interrupts are off (a cross-core interrupt to this very core, taken once
 * the critical section has ended), on both Xtensa and RISC-V.
 */
#include <stdint.h>

#include "../freertos/freertos_objects_impl.h" /* the mutex and the event, as on FreeRTOS */
#include "dmabuf/os.h"
#include "esp_timer.h"

static portMUX_TYPE dmabuf_spinlock = portMUX_INITIALIZER_UNLOCKED;

dmabuf_irq_key_t dmabuf_irq_lock(void)
{
	portENTER_CRITICAL_SAFE(&dmabuf_spinlock);
	return 0;
}

void dmabuf_irq_unlock(dmabuf_irq_key_t key)
{
	(void)key;
	portEXIT_CRITICAL_SAFE(&dmabuf_spinlock);
}

/* esp_timer counts microseconds since boot in 64 bits (no wrap in practice)
 * and may be read from an ISR. */
uint64_t dmabuf_time_us(void)
{
	return (uint64_t)esp_timer_get_time();
}

void dmabuf_event_signal(dmabuf_event_t *event)
{
	BaseType_t woken = pdFALSE;
	/* Giving an already given binary semaphore fails harmlessly: it stays set. */
	xSemaphoreGiveFromISR(event->handle, &woken);
	if (woken != pdTRUE)
		return;
	if (xPortInIsrContext())
		portYIELD_FROM_ISR(woken);
	else
		portYIELD_WITHIN_API();
}
