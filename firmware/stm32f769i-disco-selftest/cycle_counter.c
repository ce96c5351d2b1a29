/*
 * DWT cycle counter set-up (cycle_counter.h). Register addresses and bits
 * checked against CMSIS core_cm7.h (ARM-software/CMSIS 5.9.0 as
 * STMicroelectronics/cmsis_core 1a2f783 ships it).
 */
#include "cycle_counter.h"

#define DEMCR (*(volatile uint32_t *)0xE000EDFCu)      /* CoreDebug->DEMCR */
#define DEMCR_TRCENA (1u << 24)
#define DWT_CTRL (*(volatile uint32_t *)0xE0001000u)   /* DWT->CTRL */
#define DWT_CTRL_CYCCNTENA (1u << 0)
#define DWT_CTRL_NOCYCCNT (1u << 25)                   /* no cycle counter implemented */
#define DWT_CYCCNT (*(volatile uint32_t *)0xE0001004u) /* DWT->CYCCNT */
/* The STM32F7's Cortex-M7 implements the DWT's optional software lock:
 * until the key is written to DWT->LAR, the CPU's writes to DWT_CTRL are
 * ignored and CYCCNT stays 0 unless a debugger unlocked it (the counter
 * that "works only under the debugger"). Reported for STM32F7 parts in
 * rtic-rs/rtic#184, betaflight/betaflight#11006 (F745: the DWT's own LAR,
 * not the ITM's) and zephyrproject-rtos/zephyr#30327. */
#define DWT_LAR (*(volatile uint32_t *)0xE0001FB0u)
#define DWT_LAR_KEY 0xC5ACCE55u

/* Far more cycles than the counter's read latency, so a counter that
 * advances at all must show it. */
#define PROBE_LOOPS 1000u

bool cycle_counter_start(void)
{
	DEMCR |= DEMCR_TRCENA;
	DWT_LAR = DWT_LAR_KEY;
	if (DWT_CTRL & DWT_CTRL_NOCYCCNT)
		return false;
	DWT_CYCCNT = 0;
	DWT_CTRL |= DWT_CTRL_CYCCNTENA;
	uint32_t before = cycle_counter_now();
	for (volatile uint32_t i = 0; i < PROBE_LOOPS; i++)
		;
	return cycle_counter_now() != before;
}
