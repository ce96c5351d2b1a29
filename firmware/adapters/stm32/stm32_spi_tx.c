/*
 * SPI transmit through a DMA stream, one mapping segment (or 65535-item
 * piece of one) per transfer.
 */
#include "stm32_spi_tx.h"

#include "dmabuf/errors.h"

static int spi_check_start(const struct stm32_spi_tx *tx, const struct dmabuf_mapping *m)
{
	const struct dmabuf_adapter_report *report = &tx->report;
	if (!tx->spi)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "spi tx: no SPI block");
	int err = stm32_dma_stream_check(&tx->dma, report);
	if (err)
		return err;
	if (tx->frame_bytes != 1 && tx->frame_bytes != 2)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "spi tx: frame_bytes must be 1 or 2");
	if (tx->busy)
		return ADAPTER_FAIL(report, DMABUF_EBUSY, "spi tx: already sending");
	if (!m || m->length == 0 || m->segment_bytes == 0)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "spi tx: no mapping");
	if (!(m->direction & DMABUF_TO_DEVICE))
		return ADAPTER_FAIL(report, DMABUF_EINVAL,
				    "spi tx: the mapping must be TO_DEVICE or BIDIRECTIONAL (the SPI reads)");
	uint32_t f = tx->frame_bytes;
	if (m->dma_addr % f || m->length % f)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "spi tx: buffer address or length not whole frames");
	/* A 16-bit frame must never straddle two transfers: every segment
	 * boundary has to fall between frames (attach through a device whose
	 * alignment is the frame size). */
	if (m->length > m->segment_bytes && m->segment_bytes % f)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "spi tx: mapping segments split frames");
	return 0;
}

/* Arm the stream with the next part of the mapping: the rest of the current
 * segment, at most 65535 items. The stream is stopped on entry. */
static void spi_arm_next(struct stm32_spi_tx *tx)
{
	const struct dmabuf_mapping *m = &tx->mapping;
	uint32_t index = tx->offset / m->segment_bytes;
	uint32_t within = tx->offset - index * m->segment_bytes;
	/* dmabuf_mapping_segment sets both for an index inside the mapping; GCC
	 * at -Og (nf-interpreter's Debug build) cannot see that and fails
	 * -Werror=maybe-uninitialized. */
	dmabuf_addr_t segment = 0;
	uint32_t segment_length = 0;
	dmabuf_mapping_segment(m, index, &segment, &segment_length);

	uint32_t bytes = segment_length - within;
	uint32_t max_bytes = DMA_SXNDTR_MAX * tx->frame_bytes;
	if (bytes > max_bytes)
		bytes = max_bytes;
	tx->part_bytes = bytes;

	uint32_t size = tx->frame_bytes == 2 ? DMA_SXCR_SIZE_HALF : DMA_SXCR_SIZE_BYTE;
	uint32_t cr = stm32_dma_cr_request(&tx->dma) | DMA_SXCR_DIR_M2P | DMA_SXCR_MINC |
		      (size << DMA_SXCR_PSIZE_SHIFT) | (size << DMA_SXCR_MSIZE_SHIFT) | DMA_SXCR_TCIE |
		      DMA_SXCR_TEIE | DMA_SXCR_DMEIE;
	volatile struct stm32_dma_stream_regs *s = stm32_dma_regs_of(&tx->dma);
	stm32_write(&s->m0ar, segment + within);
	stm32_write(&s->ndtr, bytes / tx->frame_bytes);
	stm32_write(&s->cr, cr);
	stm32_write(&s->cr, cr | DMA_SXCR_EN);
}

int stm32_spi_tx_start(struct stm32_spi_tx *tx, const struct dmabuf_mapping *m)
{
	if (!tx)
		return DMABUF_EINVAL;
	int err = spi_check_start(tx, m);
	if (err)
		return err;
	err = stm32_dma_stop(&tx->dma);
	if (err)
		return ADAPTER_FAIL(&tx->report, err, "spi tx: the DMA stream did not stop");

	tx->mapping = *m;
	tx->offset = 0;
	volatile struct stm32_dma_stream_regs *s = stm32_dma_regs_of(&tx->dma);
	stm32_write(&s->par, stm32_bus_address(&tx->spi->dr));
	stm32_write(&s->fcr, 0); /* direct mode: one frame per SPI request */
	spi_arm_next(tx);

	tx->busy = true;
	volatile struct stm32_spi_regs *spi = tx->spi;
	stm32_write(&spi->cr2, stm32_read(&spi->cr2) | SPI_CR2_TXDMAEN);
	stm32_write(&spi->cr1, stm32_read(&spi->cr1) | SPI_CR1_SPE);
	return 0;
}

/* RM0410 order to close a DMA transmission: the stream first (done by the
 * caller), then the SPI disable procedure, then the DMA request enable. */
static int spi_close(struct stm32_spi_tx *tx)
{
	volatile struct stm32_spi_regs *spi = tx->spi;
	int err = 0;
	uint32_t polls = STM32_SPI_DRAIN_POLLS;
	while (stm32_read(&spi->sr) & (SPI_SR_FTLVL_MASK | SPI_SR_BSY))
		if (--polls == 0) {
			err = DMABUF_ETIMEDOUT;
			break;
		}
	stm32_write(&spi->cr1, stm32_read(&spi->cr1) & ~SPI_CR1_SPE);
	/* Full duplex: every frame sent clocked one in; drop them, or the next
	 * user of the SPI reads stale bytes. */
	polls = STM32_SPI_DRAIN_POLLS;
	while ((stm32_read(&spi->sr) & SPI_SR_FRLVL_MASK) && --polls)
		(void)stm32_read(&spi->dr);
	stm32_write(&spi->cr2, stm32_read(&spi->cr2) & ~SPI_CR2_TXDMAEN);
	tx->busy = false;
	return err;
}

int stm32_spi_tx_on_dma(struct stm32_spi_tx *tx, uint32_t flags)
{
	if (!tx->busy)
		return DMABUF_EPERM;
	if (flags & (STM32_DMA_TEIF | STM32_DMA_DMEIF)) {
		stm32_dma_stop(&tx->dma);
		spi_close(tx);
		return DMABUF_EIO;
	}
	if (!(flags & STM32_DMA_TCIF))
		return STM32_TRANSFER_RUNNING;

	tx->offset += tx->part_bytes;
	/* Normal mode: the stream cleared EN itself at transfer complete;
	 * stop() confirms it and clears the flags before the re-arm. */
	int err = stm32_dma_stop(&tx->dma);
	if (err) {
		spi_close(tx);
		return err;
	}
	if (tx->offset < tx->mapping.length) {
		spi_arm_next(tx);
		return STM32_TRANSFER_RUNNING;
	}
	err = spi_close(tx);
	return err ? err : STM32_TRANSFER_DONE;
}

int stm32_spi_tx_stop(struct stm32_spi_tx *tx)
{
	if (!tx || !tx->spi)
		return DMABUF_EINVAL;
	int stream_err = stm32_dma_stop(&tx->dma);
	int spi_err = spi_close(tx);
	return stream_err ? stream_err : spi_err;
}
