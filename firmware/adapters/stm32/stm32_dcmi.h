/*
 * DCMI camera capture into a DmaBuf mapping through a DMA2 stream (STM32F7).
 *
 * One snapshot (one frame) per start, into a buffer mapped FROM_DEVICE for
 * the board's "dcmi" device. DCMI_DR is 32 bits wide: the stream moves words
 * (PSIZE = MSIZE = word), so one transfer holds at most 65535 words. A frame
 * larger than that (VGA RGB565 is 153600 words) runs in double-buffer mode:
 * the block is cut into equal transfers (NDTR is reloaded unchanged at every
 * switch) of at most the mapping's segment size, and the event function
 * points the idle memory register at the next part while the DMA fills the
 * other (RM0410 DMA "Double-buffer mode"; DCMI "DMA interface").
 *
 * The buffer must be exactly one frame long (format, crop and size are the
 * camera's and DCMI_CR's business): the capture completes on the transfer
 * complete of its last part.
 *
 * Lifecycle (cache hand-over by the core, fences by the caller):
 *   dmabuf_map(attachment, DMABUF_FROM_DEVICE, &m)   invalidates the lines
 *   stm32_dcmi_capture_start(&cap, &m)               DMA armed, DCMI capturing
 *   ... stream interrupt: stm32_dcmi_capture_on_dma(&cap, flags) until it
 *       returns STM32_TRANSFER_DONE (signal the frame's fence there) ...
 *   dmabuf_unmap(...); dmabuf_begin_cpu_access(..., FROM_DEVICE, ...)
 *
 * Clocks, pins and the NVIC are the board code's: DCMIEN/DMA2EN in RCC, the
 * DCMI pins' alternate function, the stream's vector routed to on_dma.
 */
#ifndef DMABUF_STM32_DCMI_H
#define DMABUF_STM32_DCMI_H

#include <stdbool.h>
#include <stdint.h>

#include "dmabuf/dmabuf.h"
#include "stm32_dma.h"

struct stm32_dcmi_capture {
	/* Set by the caller before start. */
	volatile struct stm32_dcmi_regs *dcmi;
	struct stm32_dma_stream dma; /* DMA2 stream 1 or 7, channel 1 */
	/* DCMI_CR format bits (PCKPOL, HSPOL, VSPOL, EDM, FCRC, ESS, CROP, ...).
	 * CAPTURE, CM and ENABLE belong to the adapter and must be 0. */
	uint32_t dcmi_cr;
	struct dmabuf_adapter_report report;

	/* Private to stm32_dcmi.c. */
	dmabuf_addr_t base;
	uint32_t chunk_bytes;
	uint32_t chunks;
	uint32_t completed; /* parts the DMA has finished */
	uint32_t armed;     /* highest part index written to M0AR/M1AR */
	bool busy;
};

/*
 * Arm the stream and start a snapshot into @m. Thread or ISR context.
 * @retval 0; -EINVAL bad configuration or mapping (not FROM_DEVICE, not
 *         word aligned, no equal split); -EBUSY a capture is running;
 *         -ETIMEDOUT the stream did not stop.
 */
int stm32_dcmi_capture_start(struct stm32_dcmi_capture *cap, const struct dmabuf_mapping *m);

/*
 * The stream's interrupt, with its flags (STM32_DMA_*IF). ISR context.
 * @retval STM32_TRANSFER_RUNNING; STM32_TRANSFER_DONE the frame is in memory
 *         (stream stopped, DCMI disabled); -EIO transfer or direct-mode error
 *         (capture stopped); -EPERM no capture running.
 */
int stm32_dcmi_capture_on_dma(struct stm32_dcmi_capture *cap, uint32_t flags);

/* Abort a running capture (DCMI first, then the stream). @retval 0; -ETIMEDOUT. */
int stm32_dcmi_capture_stop(struct stm32_dcmi_capture *cap);

#endif /* DMABUF_STM32_DCMI_H */
