/*
 * The Cortex-M7 cycle counter: DWT_CYCCNT, enabled through CoreDebug
 * DEMCR.TRCENA and DWT_CTRL.CYCCNTENA (ARMv7-M ARM §C1.8; addresses as in
 * CMSIS core_cm7.h: CoreDebug_BASE 0xE000EDF0, DWT_BASE 0xE0001000).
 */
#ifndef SELFTEST_CYCLE_COUNTER_H
#define SELFTEST_CYCLE_COUNTER_H

#include <stdbool.h>
#include <stdint.h>

/* Enable the counter and check that it advances. @retval false when it does
 * not (no DWT, NOCYCCNT set, or an emulator that reads it as 0, as QEMU
 * does): then every reading means nothing and must not be reported. */
bool cycle_counter_start(void);

/* The counter now. It wraps every 2^32 cycles (19.9 s at 216 MHz): take
 * differences as uint32_t. */
static inline uint32_t cycle_counter_now(void)
{
	return *(volatile const uint32_t *)0xE0001004u; /* DWT_CYCCNT */
}

#endif /* SELFTEST_CYCLE_COUNTER_H */
