/*
 * QEMU mps2-an500 platform: SysTick tick and clock, the MPU set-up matching
 * boards/qemu_mps2_an500.c, strict-ownership fault bookkeeping, and the real
 * Cortex-M7 cache backend behind the core suites' recording one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "boards.h"
#include "core/fixture.h"
#include "dmabuf/board.h"
#include "dmabuf/cache.h"
#include "dmabuf_os_port.h"
#include "target_cortex_m7.h"

const char target_name[] = "qemu-mps2-an500";

/* The core suites (tests/native/core) drive the SCB operations: each clean
 * or invalidate the core asks for writes DCCMVAC / DCIMVAC over the fixture's
 * static arrays (real SSRAM2&3 addresses), whole-cache ones go by set/way
 * with this board's geometry (CCSIDR reads 0 on QEMU). QEMU models no cache,
 * so this proves the calls are well-formed and fault-free, not coherence. */
const struct dmabuf_cache_ops *fx_platform_cache = &dmabuf_cache_cortex_m7;
void *fx_platform_cache_priv = (void *)&dmabuf_board_qemu_mps2_an500;

/* SysTick (ARMv7-M ARM §B3.3) on the processor clock, 25 MHz on MPS2
 * (QEMU hw/arm/mps2.c SYSCLK_FRQ). */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_CSR_ENABLE_TICKINT_CLKSOURCE 0x7u
#define CPU_HZ 25000000u
#define TICK_RELOAD (CPU_HZ / 1000u - 1u)

#define SCB_ICSR (*(volatile const uint32_t *)0xE000ED04u)
#define ICSR_PENDSTSET (1u << 26)

#define MPU_RNR (*(volatile uint32_t *)0xE000ED98u)
#define MPU_RBAR (*(volatile uint32_t *)0xE000ED9Cu)
#define MPU_RASR (*(volatile uint32_t *)0xE000EDA0u)

/* boards/qemu_mps2_an500.c "psram-uncached". */
#define UNCACHED_BASE 0x60F00000u
#define UNCACHED_LOG2 20u
/* XN, AP = 011 full access, TEX = 001 C = 0 B = 0: Normal, non-cacheable. */
#define RASR_NORMAL_UNCACHED ((1u << 28) | (3u << 24) | (1u << 19))

struct dmabuf_mpu_ownership target_mpu;
static volatile uint32_t milliseconds;
static void (*volatile tick_fn)(void);
static volatile uint32_t fault_count;
static struct dmabuf_mpu_fault last_fault;

void SysTick_Handler(void);

void SysTick_Handler(void)
{
	milliseconds++;
	void (*fn)(void) = tick_fn;
	if (fn)
		fn();
}

/*
 * Milliseconds plus the counter's progress. The counter may wrap after
 * `milliseconds` was read and before its interrupt runs (or while interrupts
 * are masked, as in dmabuf_event_wait): then the SysTick interrupt is pending,
 * the millisecond is owed, and the counter is re-read so it is surely the
 * post-wrap value. A tick that did run in between makes us start over.
 */
uint64_t dmabuf_baremetal_time_us(void)
{
	uint32_t start, ms, count;
	do {
		start = milliseconds;
		ms = start;
		count = SYST_CVR;
		if (SCB_ICSR & ICSR_PENDSTSET) {
			count = SYST_CVR;
			ms++;
		}
	} while (milliseconds != start);
	return (uint64_t)ms * 1000u + (TICK_RELOAD - count) / (CPU_HZ / 1000000u);
}

void target_on_tick(void (*fn)(void))
{
	tick_fn = fn;
}

int target_irq_enabled(void)
{
	uint32_t primask;
	__asm volatile("mrs %0, primask" : "=r"(primask));
	return !(primask & 1u);
}

uint32_t target_mpu_faults(struct dmabuf_mpu_fault *last)
{
	if (last)
		*last = last_fault;
	return fault_count;
}

bool target_mpu_fault_handled(void)
{
	if (!dmabuf_mpu_fault(&target_mpu, &last_fault))
		return false;
	fault_count++;
	return true;
}

void target_fatal(const char *why)
{
	printf("FATAL: %s\n", why);
	_exit(250);
}

void target_init(void)
{
	MPU_RNR = 0;
	MPU_RBAR = UNCACHED_BASE;
	MPU_RASR = RASR_NORMAL_UNCACHED | ((UNCACHED_LOG2 - 1u) << 1) | 1u;
	if (dmabuf_mpu_ownership_init(&target_mpu, TARGET_MPU_FIRST_OWNERSHIP_REGION) != 0)
		target_fatal("no MPU regions for strict ownership");

	SYST_RVR = TICK_RELOAD;
	SYST_CVR = 0;
	SYST_CSR = SYST_CSR_ENABLE_TICKINT_CLKSOURCE;
}
