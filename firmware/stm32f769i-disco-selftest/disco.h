/*
 * STM32F769I-DISCO bring-up steps of the self-test image, in the order
 * platform_disco.c calls them. Register addresses and bits: RM0410
 * (STM32F76xxx/77xxx reference manual), checked against ST's
 * stm32f769xx.h (STMicroelectronics/cmsis_device_f7 b01bc43, v1.2.9) and
 * CMSIS core_cm7.h (STMicroelectronics/cmsis_core 1a2f783, v5.9.0); each
 * file names the registers it writes.
 */
#ifndef SELFTEST_DISCO_H
#define SELFTEST_DISCO_H

#include <stdint.h>

/* Core clock after disco_clock_init: HSE 25 MHz / 25 * 432 / 2. */
#define DISCO_CORE_HZ 216000000u
/* APB2 (USART1's kernel clock by default): core / 2. */
#define DISCO_APB2_HZ (DISCO_CORE_HZ / 2u)

/* 216 MHz from the 25 MHz HSE through the main PLL, over-drive on, 7 flash
 * wait states, AHB /1, APB1 /4, APB2 /2 (clock.c). */
void disco_clock_init(void);

/* USART1 on PA9 (TX) / PA10 (RX), AF7, 115200 8N1: the ST-LINK virtual COM
 * port; printf writes there (console.c). */
void disco_console_init(void);
void disco_console_write(const char *text, uint32_t length);

/* The 16 MB SDRAM on FMC bank 1 at 0xC0000000, and MPU region 0 making it
 * Normal non-cacheable, as nanoFramework's firmware sets it up (sdram.c). */
void disco_sdram_init(void);

/* L1 I-cache and D-cache on (caches.c). */
void disco_caches_enable(void);

/* Copy @bytes (1..65535) from bus address @from to @to with DMA2 stream 0
 * in memory-to-memory mode, polled to completion (dma2_m2m.c).
 * @retval 0; DMABUF_EINVAL bad length; DMABUF_EIO transfer or direct-mode
 *         error; DMABUF_ETIMEDOUT the stream never completed. */
int disco_dma2_copy(uint32_t from, uint32_t to, uint32_t bytes);

/* A busy wait of at least @cycles core cycles, without the cycle counter. */
void disco_spin(uint32_t cycles);

#endif /* SELFTEST_DISCO_H */
