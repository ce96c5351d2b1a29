/*
 * SPI transmit of a DmaBuf mapping through a DMA stream (STM32F7), e.g. a
 * frame to an SPI display panel.
 *
 * The stream moves one frame (8- or 16-bit data, SPI_CR2.DS) per item and
 * NDTR holds at most 65535 items, so the adapter sends the mapping as a run
 * of transfers: each segment of the mapping (the board's "dma2" device
 * limits segments to 65535 bytes), cut again at 65535 items if needed. The
 * stream stops by itself after each transfer; the event function re-arms it
 * with the next part from the transfer-complete interrupt. The SPI master
 * simply pauses its clock in between, so a chip select held by the caller
 * sees one continuous write.
 *
 * Register order is RM0410's "Communication using DMA" for SPI: the stream
 * is enabled before TXDMAEN, TXDMAEN before SPE; at the end the stream is
 * stopped, then the SPI disable procedure runs (TX FIFO empty, BSY clear,
 * SPE off, RX FIFO drained), then TXDMAEN is cleared.
 *
 * The caller owns the rest of the SPI setup (SPI_CR1 master mode, baud rate,
 * clock phase with SPE clear; SPI_CR2 data size), chip select, clocks and
 * pins, and routes the stream's interrupt to stm32_spi_tx_on_dma.
 *
 * The last event waits in the interrupt for the SPI to shift out its TX FIFO
 * (4 bytes: 32 bit times at the bus clock) before reporting DONE, so "done"
 * means on the wire, not merely out of memory.
 */
#ifndef DMABUF_STM32_SPI_TX_H
#define DMABUF_STM32_SPI_TX_H

#include <stdbool.h>
#include <stdint.h>

#include "dmabuf/dmabuf.h"
#include "stm32_dma.h"

/* Bound on the status polls of the SPI disable procedure. */
#define STM32_SPI_DRAIN_POLLS 100000u

struct stm32_spi_tx {
	/* Set by the caller before start. */
	volatile struct stm32_spi_regs *spi;
	struct stm32_dma_stream dma; /* e.g. SPI1_TX: DMA2 stream 3, channel 3 */
	uint32_t frame_bytes;        /* 1 for data sizes up to 8 bits, 2 up to 16 */
	struct dmabuf_adapter_report report;

	/* Private to stm32_spi_tx.c. */
	struct dmabuf_mapping mapping;
	uint32_t offset;     /* bytes of the mapping handed to the stream so far */
	uint32_t part_bytes; /* bytes of the transfer now running */
	bool busy;
};

/*
 * Start sending the buffer of @m (mapped TO_DEVICE). Thread or ISR context.
 * @retval 0; -EINVAL bad configuration or mapping (not TO_DEVICE; address,
 *         length or segment size not whole frames); -EBUSY already sending;
 *         -ETIMEDOUT the stream did not stop.
 */
int stm32_spi_tx_start(struct stm32_spi_tx *tx, const struct dmabuf_mapping *m);

/*
 * The stream's interrupt with its flags. ISR context.
 * @retval STM32_TRANSFER_RUNNING next part armed; STM32_TRANSFER_DONE every
 *         byte shifted out and the SPI closed; -EIO stream error (closed);
 *         -ETIMEDOUT the SPI never went idle; -EPERM nothing running.
 */
int stm32_spi_tx_on_dma(struct stm32_spi_tx *tx, uint32_t flags);

/* Abort: stream, then the SPI disable procedure, then TXDMAEN. @retval 0; -ETIMEDOUT. */
int stm32_spi_tx_stop(struct stm32_spi_tx *tx);

#endif /* DMABUF_STM32_SPI_TX_H */
