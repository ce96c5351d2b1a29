/*
 * DCMI snapshot capture through a DMA2 stream in (double-buffer) FIFO mode.
 */
#include "stm32_dcmi.h"

#include "dmabuf/errors.h"

#define DCMI_WORD 4u
#define DCMI_ADAPTER_BITS (DCMI_CR_CAPTURE | DCMI_CR_CM_SNAPSHOT | DCMI_CR_ENABLE)

static int dcmi_check_start(const struct stm32_dcmi_capture *cap, const struct dmabuf_mapping *m,
		       struct stm32_dma_split *split)
{
	const struct dmabuf_adapter_report *report = &cap->report;
	if (!cap->dcmi)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "dcmi capture: no DCMI block");
	int err = stm32_dma_stream_check(&cap->dma, report);
	if (err)
		return err;
	if (cap->dcmi_cr & DCMI_ADAPTER_BITS)
		return ADAPTER_FAIL(report, DMABUF_EINVAL,
				    "dcmi capture: dcmi_cr must leave CAPTURE, CM and ENABLE to the adapter");
	if (cap->busy)
		return ADAPTER_FAIL(report, DMABUF_EBUSY, "dcmi capture: a capture is already running");
	if (!m || m->length == 0)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "dcmi capture: no mapping");
	if (!(m->direction & DMABUF_FROM_DEVICE))
		return ADAPTER_FAIL(report, DMABUF_EINVAL,
				    "dcmi capture: the mapping must be FROM_DEVICE or BIDIRECTIONAL (the camera writes)");
	if (m->dma_addr % DCMI_WORD)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "dcmi capture: buffer not word aligned");
	if (stm32_dma_split_equal(m->length, DCMI_WORD, m->segment_bytes, split))
		return ADAPTER_FAIL(report, DMABUF_EINVAL,
				    "dcmi capture: frame is not whole words or has no split into equal transfers "
				    "of at most 65535 words and the mapping's segment size");
	return 0;
}

int stm32_dcmi_capture_start(struct stm32_dcmi_capture *cap, const struct dmabuf_mapping *m)
{
	if (!cap)
		return DMABUF_EINVAL;
	struct stm32_dma_split split;
	int err = dcmi_check_start(cap, m, &split);
	if (err)
		return err;
	err = stm32_dma_stop(&cap->dma);
	if (err)
		return ADAPTER_FAIL(&cap->report, err, "dcmi capture: the DMA stream did not stop");

	/* DCMI idle while its configuration changes (RM0410 DCMI_CR ENABLE). */
	volatile struct stm32_dcmi_regs *dcmi = cap->dcmi;
	stm32_write(&dcmi->cr, cap->dcmi_cr | DCMI_CR_CM_SNAPSHOT);
	stm32_write(&dcmi->icr, DCMI_ICR_ALL);

	cap->base = m->dma_addr;
	cap->chunk_bytes = split.chunk_items * DCMI_WORD;
	cap->chunks = split.chunks;
	cap->completed = 0;
	cap->armed = split.chunks > 1 ? 1 : 0;

	/* RM0410 stream configuration procedure: addresses, count, FIFO, then
	 * the configuration word, and EN last. */
	volatile struct stm32_dma_stream_regs *s = stm32_dma_regs_of(&cap->dma);
	stm32_write(&s->par, stm32_bus_address(&dcmi->dr));
	stm32_write(&s->m0ar, cap->base);
	uint32_t cr = stm32_dma_cr_request(&cap->dma) | DMA_SXCR_DIR_P2M | DMA_SXCR_MINC |
		      (DMA_SXCR_SIZE_WORD << DMA_SXCR_PSIZE_SHIFT) |
		      (DMA_SXCR_SIZE_WORD << DMA_SXCR_MSIZE_SHIFT) | DMA_SXCR_TCIE | DMA_SXCR_TEIE |
		      DMA_SXCR_DMEIE;
	if (split.chunks > 1) {
		stm32_write(&s->m1ar, cap->base + cap->chunk_bytes);
		cr |= DMA_SXCR_DBM;
	}
	stm32_write(&s->ndtr, split.chunk_items);
	/* FIFO mode, full threshold, single beats: word-in/word-out needs no
	 * packing and single beats can never cross a 1 KB burst boundary. */
	stm32_write(&s->fcr, DMA_SXFCR_DMDIS | DMA_SXFCR_FTH_FULL);
	stm32_write(&s->cr, cr);
	stm32_write(&s->cr, cr | DMA_SXCR_EN);

	/* The DMA must be ready before the DCMI produces its first word
	 * (RM0410 DCMI_CR CAPTURE): enable, then capture. */
	cap->busy = true;
	stm32_write(&dcmi->cr, cap->dcmi_cr | DCMI_CR_CM_SNAPSHOT | DCMI_CR_ENABLE);
	stm32_write(&dcmi->cr, cap->dcmi_cr | DCMI_CR_CM_SNAPSHOT | DCMI_CR_ENABLE | DCMI_CR_CAPTURE);
	return 0;
}

static int dcmi_halt(struct stm32_dcmi_capture *cap)
{
	volatile struct stm32_dcmi_regs *dcmi = cap->dcmi;
	stm32_write(&dcmi->cr, stm32_read(&dcmi->cr) & ~(DCMI_CR_CAPTURE | DCMI_CR_ENABLE));
	cap->busy = false;
	return stm32_dma_stop(&cap->dma);
}

int stm32_dcmi_capture_on_dma(struct stm32_dcmi_capture *cap, uint32_t flags)
{
	if (!cap->busy)
		return DMABUF_EPERM;
	if (flags & (STM32_DMA_TEIF | STM32_DMA_DMEIF)) {
		dcmi_halt(cap);
		return DMABUF_EIO;
	}
	if (!(flags & STM32_DMA_TCIF))
		return STM32_TRANSFER_RUNNING;

	if (++cap->completed == cap->chunks) {
		/* Double-buffer mode is circular: without this the stream would
		 * wait on an already-filled part for the next frame. */
		int err = dcmi_halt(cap);
		return err ? err : STM32_TRANSFER_DONE;
	}
	if (cap->armed + 1 < cap->chunks) {
		/* The stream has switched to the part after the one just done;
		 * the register that held the finished part is idle. Writing the
		 * register in use (CT) would stop the stream with TEIF (RM0410
		 * double-buffer mode), so CT decides which one to write. */
		volatile struct stm32_dma_stream_regs *s = stm32_dma_regs_of(&cap->dma);
		volatile uint32_t *idle = (stm32_read(&s->cr) & DMA_SXCR_CT) ? &s->m0ar : &s->m1ar;
		cap->armed++;
		stm32_write(idle, cap->base + cap->armed * cap->chunk_bytes);
	}
	return STM32_TRANSFER_RUNNING;
}

int stm32_dcmi_capture_stop(struct stm32_dcmi_capture *cap)
{
	if (!cap || !cap->dcmi)
		return DMABUF_EINVAL;
	return dcmi_halt(cap);
}
