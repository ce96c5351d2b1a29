/*
 * Bare-metal port types: one core, no scheduler (the QEMU test firmwares,
 * firmware/qemu-*). Cortex-M (PRIMASK) and RISC-V (mstatus.MIE), picked by the
 * compiler's __ARM_ARCH / __riscv.
 */
#ifndef DMABUF_OS_PORT_H
#define DMABUF_OS_PORT_H

#include <stdint.h>

/* The previous interrupt-enable state (PRIMASK, or mstatus.MIE). */
typedef uint32_t dmabuf_irq_key_t;

/* With one core and no threads the only contender is an ISR, so holding any
 * mutex masks interrupts (os_baremetal.c counts the held mutexes, so they may
 * be released in any order). @held is for inspection only. */
typedef struct {
	uint8_t held;
} dmabuf_mutex_t;

/* Set by signal (possibly in an ISR), consumed by wait. */
typedef struct {
	volatile uint8_t set;
} dmabuf_event_t;

/*
 * Hooks the firmware provides (weak defaults in os_baremetal.c):
 *
 * dmabuf_baremetal_time_us: monotonic microseconds (SysTick on mps2, mtime
 *   on virt). The default advances 1 us per call, so timeouts still end on a
 *   board that provides no clock.
 * dmabuf_baremetal_idle: called by dmabuf_event_wait with interrupts masked
 *   while nothing is signalled; returns once an interrupt is pending. The
 *   default is WFI, which wakes on a pending interrupt even while masked, so
 *   a signal between the check and the sleep is not lost. It requires a
 *   periodic interrupt (a tick) for finite timeouts to be noticed.
 */
uint64_t dmabuf_baremetal_time_us(void);
void dmabuf_baremetal_idle(void);

#endif /* DMABUF_OS_PORT_H */
