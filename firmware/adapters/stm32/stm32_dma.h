/*
 * One stream of the STM32F7 DMA1/DMA2 controllers, as the peripheral adapters
 * (DCMI capture, SPI transmit) drive it. Register level, no HAL: RM0410 DMA
 * chapter, "Stream configuration procedure", "Double-buffer mode",
 * DMA_SxCR..DMA_SxFCR.
 *
 * Which stream and channel serve a peripheral is fixed by the chip (RM0410
 * "DMA2 request mapping"), e.g. DCMI: DMA2 stream 1 or 7, channel 1;
 * SPI1_TX: DMA2 stream 3 or 5, channel 3. The board code picks them; the
 * adapters check only that the numbers exist.
 *
 * Interrupts: the adapters enable the stream's transfer-complete and error
 * interrupts; the firmware routes the stream's vector to the adapter's event
 * function with the stream's flags. Under ChibiOS that is a dmaStreamAllocI()
 * callback (ChibiOS reads and clears the flags and passes them in exactly the
 * normalised form used here); on bare metal, call stm32_dma_take_flags() in
 * the vector.
 */
#ifndef DMABUF_STM32_DMA_H
#define DMABUF_STM32_DMA_H

#include <stdint.h>

#include "../adapter_report.h"
#include "stm32_regs.h"

struct stm32_dma_stream {
	volatile struct stm32_dma_regs *dma; /* DMA1 or DMA2 block */
	uint8_t stream;                      /* 0..7 */
	uint8_t channel;                     /* request channel, DMA_SxCR.CHSEL 0..15 */
	uint8_t priority;                    /* DMA_SxCR.PL 0 (low) .. 3 (very high) */
};

/*
 * How many times stm32_dma_stop reads EN back before giving up. A stream
 * finishes its current single transfer before EN reads 0 (RM0410 DMA_SxCR
 * EN); a few bus cycles in practice, so this bound only catches a dead bus.
 */
#define STM32_DMA_STOP_POLLS 100000u

/* What an adapter's event function returns when it did not fail. */
#define STM32_TRANSFER_RUNNING 0 /* more to come: the next part is armed */
#define STM32_TRANSFER_DONE 1    /* the whole mapping has been transferred */

/* @retval 0; -EINVAL a NULL block or a stream/channel/priority that does not exist. */
int stm32_dma_stream_check(const struct stm32_dma_stream *s, const struct dmabuf_adapter_report *report);

/* The stream's own registers inside its controller block. */
static inline volatile struct stm32_dma_stream_regs *stm32_dma_regs_of(const struct stm32_dma_stream *s)
{
	return &s->dma->stream[s->stream];
}

/*
 * Clear EN, wait until the stream reads back disabled, then clear its flags:
 * the state RM0410 requires before any stream register is written and EN set
 * again. ISR-safe. @retval 0; -ETIMEDOUT EN never read back 0.
 */
int stm32_dma_stop(const struct stm32_dma_stream *s);

/* Read and clear the stream's flags, normalised (STM32_DMA_*IF). ISR-safe. */
uint32_t stm32_dma_take_flags(const struct stm32_dma_stream *s);

/* DMA_SxCR bits that identify the request: channel and priority. */
static inline uint32_t stm32_dma_cr_request(const struct stm32_dma_stream *s)
{
	return ((uint32_t)s->channel << DMA_SXCR_CHSEL_SHIFT) | ((uint32_t)s->priority << DMA_SXCR_PL_SHIFT);
}

/*
 * A transfer cut into @chunks equal transfers of @chunk_items items each:
 * double-buffer mode reloads the same NDTR for every memory target, so a
 * block longer than one transfer must split into equal parts.
 */
struct stm32_dma_split {
	uint32_t chunk_items;
	uint32_t chunks;
};

/*
 * Split @length bytes of @item_bytes items into the fewest equal transfers of
 * at most min(65535 items, @max_chunk_bytes). Only splits whose transfers are
 * at least half that limit are taken, which bounds the search and the
 * interrupt rate; a length with no such split (a large prime count of items)
 * is refused.
 * @retval 0; -EINVAL @length not a whole number of items, or no split.
 */
int stm32_dma_split_equal(uint32_t length, uint32_t item_bytes, uint32_t max_chunk_bytes,
			  struct stm32_dma_split *out);

#endif /* DMABUF_STM32_DMA_H */
