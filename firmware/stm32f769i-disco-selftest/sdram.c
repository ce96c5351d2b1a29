/*
 * The DISCO's 16 MB SDRAM (UM2033: 128 Mbit, 32-bit bus, on FMC SDRAM bank
 * 1 at 0xC0000000) set up exactly as nanoFramework's firmware does it, so
 * the self-test sees the memory the demo would: nf-interpreter a3e8139,
 * targets/ChibiOS/ST_STM32F769I_DISCOVERY/target_external_memory.c (SDCR,
 * SDTR, mode register, refresh count, MPU region 0) and the ChibiOS
 * fsmc_sdram_lld.c command sequence it calls (RM0410 FMC "SDRAM
 * initialization": clock enable, 100 us, precharge all, auto-refresh x2,
 * load mode register, refresh timer). Pins: that target's board.h, every
 * FMC line in alternate function 12.
 *
 * MPU region 0 makes the SDRAM Normal, non-cacheable, non-bufferable,
 * execute-never: the ARMv7-M default map would make 0xC0000000 Device
 * memory, where an unaligned access faults (the trap nf-interpreter's
 * comment describes); boards/stm32f769i_disco.c describes it as uncached.
 */
#include "disco.h"

#define RCC_AHB1ENR (*(volatile uint32_t *)(0x40023800u + 0x30u))
#define RCC_AHB3ENR (*(volatile uint32_t *)(0x40023800u + 0x38u))
#define RCC_AHB3ENR_FMCEN (1u << 0)

/* GPIOD..GPIOI (AHB1 + 0x0C00 .. 0x2000, 0x400 apart), enable bits 3..8. */
#define GPIO_BASE(port) (0x40020000u + 0x400u * (port))
#define GPIO_REG(port, offset) (*(volatile uint32_t *)(GPIO_BASE(port) + (offset)))
#define GPIO_MODER 0x00u
#define GPIO_OTYPER 0x04u
#define GPIO_OSPEEDR 0x08u
#define GPIO_PUPDR 0x0Cu
#define GPIO_AFRL 0x20u
#define GPIO_AFRH 0x24u
#define PORT_D 3u
#define PORT_I 8u
#define AF12_FMC 12u

/* The FMC pins per port D..I (board.h GPIOx_FMC_*: D0-D31, A0-A12, BA0-1,
 * NBL0-3, SDCLK, SDCKE0, SDNE0, SDNWE, SDNRAS, SDNCAS). */
static const uint16_t fmc_pins[PORT_I - PORT_D + 1u] = {
	0xC703u, /* D: 0 1 8 9 10 14 15 */
	0xFF83u, /* E: 0 1 7-15 */
	0xF83Fu, /* F: 0-5 11-15 */
	0x8137u, /* G: 0 1 2 4 5 8 15 */
	0xFF2Cu, /* H: 2 3 5 8-15 */
	0x06FFu, /* I: 0-7 9 10 */
};

#define FMC_BASE 0xA0000140u /* FMC_Bank5_6_R_BASE */
#define FMC_SDCR1 (*(volatile uint32_t *)(FMC_BASE + 0x00u))
#define FMC_SDTR1 (*(volatile uint32_t *)(FMC_BASE + 0x08u))
#define FMC_SDCMR (*(volatile uint32_t *)(FMC_BASE + 0x10u))
#define FMC_SDRTR (*(volatile uint32_t *)(FMC_BASE + 0x14u))
#define FMC_SDSR (*(volatile const uint32_t *)(FMC_BASE + 0x18u))
#define FMC_SDSR_BUSY (1u << 5)

/* SDCR: 8 column bits, 12 row bits, 32-bit bus, 4 internal banks, CAS
 * latency 3, no write protection, SDCLK = HCLK / 2 (108 MHz), read burst
 * on, no read pipe delay. */
#define SDCR_VALUE (0x0u | 0x4u | 0x20u | 0x40u | 0x180u | 0x800u | 0x1000u)
/* SDTR (in SDCLK cycles - 1): TMRD 2, TXSR 8, TRAS 5, TRC 8, TWR 4, TRP 3, TRCD 3. */
#define SDTR_VALUE ((2u - 1u) | (7u << 4) | (4u << 8) | (7u << 12) | (3u << 16) | (2u << 20) | (2u << 24))
/* SDCMR: MODE, CTB1 (bank 1 targeted), NRFS (auto-refreshes - 1), MRD. */
#define SDCMR_CLOCK_ENABLE 1u
#define SDCMR_PALL 2u
#define SDCMR_AUTO_REFRESH 3u
#define SDCMR_LOAD_MODE 4u
#define SDCMR_CTB1 (1u << 4)
#define SDCMR_NRFS_4 (3u << 5)
/* Mode register: burst length 2, sequential, CAS 3, single write bursts. */
#define SDRAM_MODE (0x1u | 0x30u | 0x200u)
#define SDCMR_MRD(mode) ((mode) << 9)
/* SDRTR COUNT (bits 13:1): nf-interpreter's 683. */
#define SDRTR_VALUE (683u << 1)

/* The SDRAM's power-up wait (100 us, at the core clock). */
#define POWER_UP_CYCLES (DISCO_CORE_HZ / 10000u)

#define MPU_CTRL (*(volatile uint32_t *)0xE000ED94u)
#define MPU_RNR (*(volatile uint32_t *)0xE000ED98u)
#define MPU_RBAR (*(volatile uint32_t *)0xE000ED9Cu)
#define MPU_RASR (*(volatile uint32_t *)0xE000EDA0u)
#define MPU_CTRL_ENABLE (1u << 0)
#define MPU_CTRL_PRIVDEFENA (1u << 2) /* the default map elsewhere */
#define SDRAM_BASE 0xC0000000u
#define SDRAM_SIZE_LOG2 24u
/* XN, AP 011 (full access), TEX 001 C 0 B 0 (Normal, non-cacheable), S 0. */
#define RASR_NORMAL_UNCACHED ((1u << 28) | (3u << 24) | (1u << 19))

static void sdram_command(uint32_t command)
{
	while (FMC_SDSR & FMC_SDSR_BUSY)
		;
	FMC_SDCMR = command | SDCMR_CTB1;
}

static void pins_to_fmc(void)
{
	for (uint32_t port = PORT_D; port <= PORT_I; port++) {
		RCC_AHB1ENR |= 1u << port;
		(void)RCC_AHB1ENR;
		uint32_t pins = fmc_pins[port - PORT_D];
		for (uint32_t pin = 0; pin < 16u; pin++) {
			if (!(pins & (1u << pin)))
				continue;
			uint32_t two = 2u * pin, afr = pin < 8u ? GPIO_AFRL : GPIO_AFRH, four = 4u * (pin & 7u);
			GPIO_REG(port, GPIO_MODER) = (GPIO_REG(port, GPIO_MODER) & ~(3u << two)) | (2u << two);
			GPIO_REG(port, GPIO_OTYPER) &= ~(1u << pin);
			GPIO_REG(port, GPIO_OSPEEDR) |= 3u << two; /* very high */
			GPIO_REG(port, GPIO_PUPDR) = (GPIO_REG(port, GPIO_PUPDR) & ~(3u << two)) | (1u << two);
			GPIO_REG(port, afr) = (GPIO_REG(port, afr) & ~(0xFu << four)) | (AF12_FMC << four);
		}
	}
}

static void mpu_sdram_uncached(void)
{
	__asm volatile("dmb 0xF" ::: "memory");
	MPU_CTRL = 0;
	MPU_RNR = 0;
	MPU_RBAR = SDRAM_BASE;
	MPU_RASR = RASR_NORMAL_UNCACHED | ((SDRAM_SIZE_LOG2 - 1u) << 1) | 1u;
	MPU_CTRL = MPU_CTRL_PRIVDEFENA | MPU_CTRL_ENABLE;
	__asm volatile("dsb 0xF\n\tisb 0xF" ::: "memory");
}

void disco_sdram_init(void)
{
	mpu_sdram_uncached();
	pins_to_fmc();
	RCC_AHB3ENR |= RCC_AHB3ENR_FMCEN;
	(void)RCC_AHB3ENR;
	FMC_SDCR1 = SDCR_VALUE;
	FMC_SDTR1 = SDTR_VALUE;
	sdram_command(SDCMR_CLOCK_ENABLE);
	disco_spin(POWER_UP_CYCLES);
	sdram_command(SDCMR_PALL);
	sdram_command(SDCMR_AUTO_REFRESH | SDCMR_NRFS_4);
	sdram_command(SDCMR_AUTO_REFRESH | SDCMR_NRFS_4);
	sdram_command(SDCMR_LOAD_MODE | SDCMR_MRD(SDRAM_MODE));
	while (FMC_SDSR & FMC_SDSR_BUSY)
		;
	FMC_SDRTR = SDRTR_VALUE;
}
