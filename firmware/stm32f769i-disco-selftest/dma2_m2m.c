/*
 * DMA2 stream 0 in memory-to-memory mode, polled: the DMA master of the
 * coherency check (coherency.c). Only DMA2 can do memory-to-memory on the
 * F7 (RM0410 DMA, "Memory-to-memory mode"); the board's "dma2" device
 * (boards/stm32f769i_disco.c) describes it. Registers as stm32f769xx.h lays
 * out DMA_TypeDef / DMA_Stream_TypeDef (DMA2_BASE 0x40026400, stream 0 at
 * +0x10: CR, NDTR, PAR, M0AR, M1AR, FCR) and RCC_AHB1ENR_DMA2EN (bit 22).
 *
 * Items are bytes, as the board's "dma2" entry describes the stream (NDTR
 * counts peripheral-size items: 65535 bytes a transfer, no alignment), so
 * each segment of a DmaBuf mapping is one transfer whatever its length.
 * In this mode PAR is the source and M0AR the destination (DIR = 10); the
 * hardware forces the FIFO on (DMDIS), as direct mode is not allowed.
 */
#include "disco.h"
#include "dmabuf/errors.h"

#define RCC_AHB1ENR (*(volatile uint32_t *)(0x40023800u + 0x30u))
#define RCC_AHB1ENR_DMA2EN (1u << 22)

#define DMA2_BASE 0x40026400u
#define DMA2_LISR (*(volatile const uint32_t *)(DMA2_BASE + 0x00u))
#define DMA2_LIFCR (*(volatile uint32_t *)(DMA2_BASE + 0x08u))
#define DMA2_S0CR (*(volatile uint32_t *)(DMA2_BASE + 0x10u))
#define DMA2_S0NDTR (*(volatile uint32_t *)(DMA2_BASE + 0x14u))
#define DMA2_S0PAR (*(volatile uint32_t *)(DMA2_BASE + 0x18u))
#define DMA2_S0M0AR (*(volatile uint32_t *)(DMA2_BASE + 0x1Cu))
#define DMA_SxCR_EN (1u << 0)
#define DMA_SxCR_DIR_M2M (2u << 6)
#define DMA_SxCR_PINC (1u << 9)
#define DMA_SxCR_MINC (1u << 10)
/* PSIZE (bits 12:11) and MSIZE (14:13) left 00: bytes. */
/* Stream 0's flags in LISR / LIFCR: FEIF0 0, DMEIF0 2, TEIF0 3, HTIF0 4,
 * TCIF0 5 (all five cleared together: 0x3D). FEIF is not an error here: the
 * transfer goes on after a FIFO event. */
#define DMA_S0_DMEIF (1u << 2)
#define DMA_S0_TEIF (1u << 3)
#define DMA_S0_TCIF (1u << 5)
#define DMA_S0_ALL (0x3Du)

/* A byte a cycle or better moves 65535 bytes in well under this many polls;
 * a stream that never completes is reported, not waited on for ever. */
#define POLLS_MAX 50000000u

static inline void dsb(void)
{
	__asm volatile("dsb 0xF" ::: "memory");
}

int disco_dma2_copy(uint32_t from, uint32_t to, uint32_t bytes)
{
	if (bytes == 0 || bytes > 65535u)
		return DMABUF_EINVAL;
	RCC_AHB1ENR |= RCC_AHB1ENR_DMA2EN;
	(void)RCC_AHB1ENR; /* the read-back waits out the clock enable (RM0410 RCC) */
	DMA2_S0CR = 0;
	while (DMA2_S0CR & DMA_SxCR_EN)
		;
	DMA2_LIFCR = DMA_S0_ALL;
	DMA2_S0PAR = from;
	DMA2_S0M0AR = to;
	DMA2_S0NDTR = bytes;
	DMA2_S0CR = DMA_SxCR_DIR_M2M | DMA_SxCR_PINC | DMA_SxCR_MINC;
	/* The trap: the CPU's last stores to the source (uncached SDRAM is
	 * Normal memory, write-buffered) must reach memory before the stream
	 * reads it; a peripheral write is not ordered after them by itself. */
	dsb();
	DMA2_S0CR |= DMA_SxCR_EN;
	uint32_t status = 0;
	for (uint32_t polls = 0; polls < POLLS_MAX; polls++) {
		status = DMA2_LISR & (DMA_S0_TCIF | DMA_S0_TEIF | DMA_S0_DMEIF);
		if (status)
			break;
	}
	DMA2_S0CR = 0;
	DMA2_LIFCR = DMA_S0_ALL;
	dsb();
	if (status & (DMA_S0_TEIF | DMA_S0_DMEIF))
		return DMABUF_EIO;
	return (status & DMA_S0_TCIF) ? 0 : DMABUF_ETIMEDOUT;
}
