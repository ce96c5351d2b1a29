/*
 * STM32F7 DMA stream helpers shared by the peripheral adapters.
 */
#include "stm32_dma.h"

#include "dmabuf/errors.h"

#define DMA_CHANNELS 16u
#define DMA_PRIORITIES 4u

/* Where each stream's six flag bits start in LISR (streams 0..3) or HISR
 * (4..7) -- RM0410 DMA_LISR / DMA_HISR. */
static const uint8_t dma_flag_shift[4] = { 0, 6, 16, 22 };

int stm32_dma_stream_check(const struct stm32_dma_stream *s, const struct dmabuf_adapter_report *report)
{
	if (!s || !s->dma)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "dma stream: no controller block");
	if (s->stream >= STM32_DMA_STREAMS)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "dma stream: stream number above 7");
	if (s->channel >= DMA_CHANNELS)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "dma stream: channel above 15");
	if (s->priority >= DMA_PRIORITIES)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "dma stream: priority above 3");
	return 0;
}

static volatile uint32_t *dma_status_reg(const struct stm32_dma_stream *s)
{
	return s->stream < 4 ? &s->dma->lisr : &s->dma->hisr;
}

static volatile uint32_t *dma_clear_reg(const struct stm32_dma_stream *s)
{
	return s->stream < 4 ? &s->dma->lifcr : &s->dma->hifcr;
}

uint32_t stm32_dma_take_flags(const struct stm32_dma_stream *s)
{
	uint32_t shift = dma_flag_shift[s->stream % 4];
	uint32_t flags = (stm32_read(dma_status_reg(s)) >> shift) & STM32_DMA_ALL_FLAGS;
	stm32_write(dma_clear_reg(s), flags << shift);
	return flags;
}

int stm32_dma_stop(const struct stm32_dma_stream *s)
{
	volatile struct stm32_dma_stream_regs *regs = stm32_dma_regs_of(s);
	uint32_t cr = stm32_read(&regs->cr);
	if (cr & DMA_SXCR_EN)
		stm32_write(&regs->cr, cr & ~DMA_SXCR_EN);
	uint32_t polls = STM32_DMA_STOP_POLLS;
	while (stm32_read(&regs->cr) & DMA_SXCR_EN)
		if (--polls == 0)
			return DMABUF_ETIMEDOUT;
	/* Stale flags of the previous transfer would fire (or block) the next
	 * one: RM0410 wants them clear before EN is set again. */
	stm32_write(dma_clear_reg(s), STM32_DMA_ALL_FLAGS << dma_flag_shift[s->stream % 4]);
	return 0;
}

int stm32_dma_split_equal(uint32_t length, uint32_t item_bytes, uint32_t max_chunk_bytes,
			  struct stm32_dma_split *out)
{
	if (!item_bytes || length == 0 || length % item_bytes)
		return DMABUF_EINVAL;
	uint32_t items = length / item_bytes;
	uint32_t max_items = max_chunk_bytes / item_bytes;
	if (max_items > DMA_SXNDTR_MAX)
		max_items = DMA_SXNDTR_MAX;
	if (max_items == 0)
		return DMABUF_EINVAL;

	uint32_t fewest = items / max_items + (items % max_items != 0);
	/* Chunks of at least half the limit: at most twice the fewest count
	 * (64-bit so the bound cannot wrap for a 4 GB length). */
	for (uint64_t chunks = fewest; chunks <= 2ull * fewest; chunks++) {
		if (items % chunks == 0) {
			out->chunk_items = (uint32_t)(items / chunks);
			out->chunks = (uint32_t)chunks;
			return 0;
		}
	}
	return DMABUF_EINVAL;
}
