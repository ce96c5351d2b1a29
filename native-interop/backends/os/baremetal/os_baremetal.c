/*
 * Bare-metal port (single core, no RTOS). See dmabuf_os_port.h for the types
 * and the firmware hooks.
 */
#include <stdint.h>

#include "dmabuf/errors.h"
#include "dmabuf/os.h"

#if defined(__ARM_ARCH)

static inline dmabuf_irq_key_t irq_save(void)
{
	uint32_t primask;
	__asm volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
	return primask;
}

static inline void irq_restore(dmabuf_irq_key_t key)
{
	__asm volatile("msr primask, %0" ::"r"(key) : "memory");
}

static inline void wait_for_interrupt(void)
{
	__asm volatile("dsb 0xF\n\twfi" ::: "memory");
}

#elif defined(__riscv)

#define MSTATUS_MIE 0x8u
/* The toolchains' rv32imac multilibs predate the Zicsr split: enable it for
 * these instructions only, so the build keeps -march=rv32imac. */
#define ZICSR(insn) ".option push\n\t.option arch, +zicsr\n\t" insn "\n\t.option pop"

static inline dmabuf_irq_key_t irq_save(void)
{
	uint32_t mstatus;
	__asm volatile(ZICSR("csrrci %0, mstatus, %1") : "=r"(mstatus) : "i"(MSTATUS_MIE) : "memory");
	return mstatus & MSTATUS_MIE;
}

static inline void irq_restore(dmabuf_irq_key_t key)
{
	/* Only set MIE back if it was set: a nested unlock leaves it clear. */
	__asm volatile(ZICSR("csrs mstatus, %0") ::"r"(key) : "memory");
}

static inline void wait_for_interrupt(void)
{
	__asm volatile("wfi" ::: "memory");
}

#else
#error "bare-metal port: no interrupt lock for this architecture (needs __ARM_ARCH or __riscv)"
#endif

dmabuf_irq_key_t dmabuf_irq_lock(void)
{
	return irq_save();
}

void dmabuf_irq_unlock(dmabuf_irq_key_t key)
{
	irq_restore(key);
}

/*
 * Every mutex is the same interrupt mask: the first lock saves the previous
 * state, the last unlock restores it. Counting rather than keeping a key per
 * mutex lets two mutexes be released in either order without unmasking while
 * one is still held.
 */
static uint32_t mutexes_held;
static dmabuf_irq_key_t key_before_mutexes;

int dmabuf_mutex_init(dmabuf_mutex_t *mutex)
{
	mutex->held = 0;
	return 0;
}

void dmabuf_mutex_destroy(dmabuf_mutex_t *mutex)
{
	(void)mutex;
}

void dmabuf_mutex_lock(dmabuf_mutex_t *mutex)
{
	dmabuf_irq_key_t key = irq_save();
	if (mutexes_held++ == 0)
		key_before_mutexes = key;
	mutex->held = 1;
}

void dmabuf_mutex_unlock(dmabuf_mutex_t *mutex)
{
	mutex->held = 0;
	if (--mutexes_held == 0)
		irq_restore(key_before_mutexes);
}

__attribute__((weak)) uint64_t dmabuf_baremetal_time_us(void)
{
	static uint64_t calls;
	return ++calls;
}

__attribute__((weak)) void dmabuf_baremetal_idle(void)
{
	wait_for_interrupt();
}

uint64_t dmabuf_time_us(void)
{
	return dmabuf_baremetal_time_us();
}

int dmabuf_event_init(dmabuf_event_t *event)
{
	event->set = 0;
	return 0;
}

void dmabuf_event_destroy(dmabuf_event_t *event)
{
	(void)event;
}

void dmabuf_event_signal(dmabuf_event_t *event)
{
	event->set = 1;
}

/*
 * Check and sleep with interrupts masked: an ISR that signals between the
 * check and the sleep leaves its interrupt pending, and the sleep returns at
 * once. Interrupts are unmasked between rounds so that ISR runs.
 */
int dmabuf_event_wait(dmabuf_event_t *event, uint32_t timeout_us)
{
	uint64_t start = dmabuf_time_us();
	for (;;) {
		dmabuf_irq_key_t key = irq_save();
		if (event->set) {
			event->set = 0;
			irq_restore(key);
			return 0;
		}
		if (timeout_us != UINT32_MAX && dmabuf_time_us() - start >= timeout_us) {
			irq_restore(key);
			return DMABUF_ETIMEDOUT;
		}
		dmabuf_baremetal_idle();
		irq_restore(key);
	}
}
