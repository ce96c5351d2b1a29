/*
 * 216 MHz from the board's 25 MHz HSE (RM0410 §5 RCC, §4.1.4 entering
 * over-drive mode, §3.3.2 flash read access latency). The DISCO feeds HSE from an external clock,
 * so HSEBYP is set before HSEON (nf-interpreter a3e8139,
 * targets/ChibiOS/ST_STM32F769I_DISCOVERY/board.h STM32_HSE_BYPASS; its
 * mcuconf.h has the same PLL: M 25, N 432, P 2, Q 9).
 *
 * The trap: 216 MHz needs over-drive (HCLK above 180 MHz, DS11532 general
 * operating conditions) and 7 wait states at 2.7-3.6 V; over-drive is
 * switched on with the PLL running but before SYSCLK moves to it, and the
 * flash latency must be raised (and read back) before the switch, never
 * after.
 */
#include "disco.h"

#define RCC_BASE 0x40023800u                                  /* AHB1 + 0x3800 */
#define RCC_CR (*(volatile uint32_t *)(RCC_BASE + 0x00u))
#define RCC_PLLCFGR (*(volatile uint32_t *)(RCC_BASE + 0x04u))
#define RCC_CFGR (*(volatile uint32_t *)(RCC_BASE + 0x08u))
#define RCC_APB1ENR (*(volatile uint32_t *)(RCC_BASE + 0x40u))
#define RCC_CR_HSEON (1u << 16)
#define RCC_CR_HSERDY (1u << 17)
#define RCC_CR_HSEBYP (1u << 18)
#define RCC_CR_PLLON (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)
#define RCC_PLLCFGR_PLLSRC_HSE (1u << 22)
#define RCC_CFGR_SW_MASK 0x3u
#define RCC_CFGR_SW_PLL 0x2u
#define RCC_CFGR_SWS_MASK 0xCu
#define RCC_CFGR_SWS_PLL 0x8u
#define RCC_CFGR_HPRE_MASK 0xF0u
#define RCC_CFGR_PPRE1_MASK 0x1C00u
#define RCC_CFGR_PPRE1_DIV4 0x1400u
#define RCC_CFGR_PPRE2_MASK 0xE000u
#define RCC_CFGR_PPRE2_DIV2 0x8000u
#define RCC_APB1ENR_PWREN (1u << 28)

/* PLL: VCO = 25 MHz / M * N = 432 MHz; SYSCLK = VCO / P; 48 MHz = VCO / Q.
 * P is encoded as P / 2 - 1. R feeds only the DSI host (unused here). */
#define PLL_M 25u
#define PLL_N 432u
#define PLL_P 2u
#define PLL_Q 9u
#define PLL_R 2u

#define PWR_BASE 0x40007000u                                  /* APB1 + 0x7000 */
#define PWR_CR1 (*(volatile uint32_t *)(PWR_BASE + 0x00u))
#define PWR_CSR1 (*(volatile const uint32_t *)(PWR_BASE + 0x04u))
#define PWR_CR1_VOS_SCALE1 (3u << 14)
#define PWR_CR1_ODEN (1u << 16)
#define PWR_CR1_ODSWEN (1u << 17)
#define PWR_CSR1_ODRDY (1u << 16)
#define PWR_CSR1_ODSWRDY (1u << 17)

#define FLASH_ACR (*(volatile uint32_t *)0x40023C00u)         /* AHB1 + 0x3C00 */
#define FLASH_ACR_LATENCY_MASK 0xFu
#define FLASH_ACR_LATENCY_7WS 7u
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ARTEN (1u << 9)

void disco_clock_init(void)
{
	RCC_APB1ENR |= RCC_APB1ENR_PWREN;
	(void)RCC_APB1ENR; /* the clock is on once the write has landed */
	PWR_CR1 |= PWR_CR1_VOS_SCALE1;

	RCC_CR |= RCC_CR_HSEBYP;
	RCC_CR |= RCC_CR_HSEON;
	while (!(RCC_CR & RCC_CR_HSERDY))
		;

	RCC_PLLCFGR = PLL_M | (PLL_N << 6) | ((PLL_P / 2u - 1u) << 16) | RCC_PLLCFGR_PLLSRC_HSE | (PLL_Q << 24) |
		      (PLL_R << 28);
	RCC_CR |= RCC_CR_PLLON;
	while (!(RCC_CR & RCC_CR_PLLRDY))
		;

	PWR_CR1 |= PWR_CR1_ODEN;
	while (!(PWR_CSR1 & PWR_CSR1_ODRDY))
		;
	PWR_CR1 |= PWR_CR1_ODSWEN;
	while (!(PWR_CSR1 & PWR_CSR1_ODSWRDY))
		;

	FLASH_ACR = (FLASH_ACR & ~FLASH_ACR_LATENCY_MASK) | FLASH_ACR_LATENCY_7WS | FLASH_ACR_PRFTEN | FLASH_ACR_ARTEN;
	while ((FLASH_ACR & FLASH_ACR_LATENCY_MASK) != FLASH_ACR_LATENCY_7WS)
		;

	RCC_CFGR = (RCC_CFGR & ~(RCC_CFGR_HPRE_MASK | RCC_CFGR_PPRE1_MASK | RCC_CFGR_PPRE2_MASK)) |
		   RCC_CFGR_PPRE1_DIV4 | RCC_CFGR_PPRE2_DIV2;
	RCC_CFGR = (RCC_CFGR & ~RCC_CFGR_SW_MASK) | RCC_CFGR_SW_PLL;
	while ((RCC_CFGR & RCC_CFGR_SWS_MASK) != RCC_CFGR_SWS_PLL)
		;
}
