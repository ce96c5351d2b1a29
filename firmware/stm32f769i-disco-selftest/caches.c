/*
 * L1 caches on, the sequence CMSIS cachel1_armv7.h (SCB_EnableICache /
 * SCB_EnableDCache, cmsis_core 1a2f783) uses: invalidate first, then enable,
 * with barriers. The trap: the D-cache's contents are random after reset,
 * so turning it on without the set/way invalidate first can write garbage
 * lines back over memory.
 */
#include "disco.h"

#define SCB_CCR (*(volatile uint32_t *)0xE000ED14u)
#define SCB_CCSIDR (*(volatile const uint32_t *)0xE000ED80u)
#define SCB_CSSELR (*(volatile uint32_t *)0xE000ED84u)
#define SCB_ICIALLU (*(volatile uint32_t *)0xE000EF50u)
#define SCB_DCISW (*(volatile uint32_t *)0xE000EF60u)
#define SCB_CCR_DC (1u << 16)
#define SCB_CCR_IC (1u << 17)
/* CCSIDR: NumSets - 1 in bits 27:13, Associativity - 1 in bits 12:3. */
#define CCSIDR_SETS(r) (((r) >> 13) & 0x7FFFu)
#define CCSIDR_WAYS(r) (((r) >> 3) & 0x3FFu)
/* DCISW: set in bits 13:5 (32-byte lines), way in bits 31:30 (4 ways). */
#define DCISW_SET_SHIFT 5u
#define DCISW_WAY_SHIFT 30u

static inline void barriers(void)
{
	__asm volatile("dsb 0xF\n\tisb 0xF" ::: "memory");
}

void disco_caches_enable(void)
{
	barriers();
	SCB_ICIALLU = 0;
	barriers();
	SCB_CCR |= SCB_CCR_IC;
	barriers();

	SCB_CSSELR = 0; /* level 1 data cache */
	barriers();
	uint32_t ccsidr = SCB_CCSIDR;
	for (uint32_t set = 0; set <= CCSIDR_SETS(ccsidr); set++)
		for (uint32_t way = 0; way <= CCSIDR_WAYS(ccsidr); way++)
			SCB_DCISW = (set << DCISW_SET_SHIFT) | (way << DCISW_WAY_SHIFT);
	barriers();
	SCB_CCR |= SCB_CCR_DC;
	barriers();
}
