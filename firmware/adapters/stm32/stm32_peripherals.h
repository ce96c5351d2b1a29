/*
 * The STM32F7 adapters behind the peripheral contract (dmabuf/peripheral.h):
 * a DCMI camera, an LTDC scan-out display and an ST7789 / ILI9341 SPI panel,
 * so that the managed Camera, ScanoutDisplay and SpiPanel drive them.
 *
 * Each is a struct the board code owns (static), fills and initialises once:
 * the adapter's own configuration (registers, DMA stream, as for
 * stm32_dcmi.h, stm32_ltdc.h, stm32_spi_tx.h), and binds the job to the
 * fence pool its fences come from (dmabuf_peripheral_job_bind(&x.job, pool),
 * again after a soft reboot). Then
 * dmabuf_firmware_register_peripheral(&x.peripheral) and route the
 * interrupt to the *_on_* function here, which signals the job's fence as
 * the last touch of the job (../peripheral_job.h). Clocks, pins and NVIC
 * stay the board's.
 *
 * Each peripheral runs one job at a time (a second start is -EBUSY): the
 * DCMI adapter takes snapshots, the LTDC has one shadow register set, the
 * SPI bus one transfer.
 */
#ifndef DMABUF_STM32_PERIPHERALS_H
#define DMABUF_STM32_PERIPHERALS_H

#include <stdint.h>

#include "dmabuf/fence.h"
#include "dmabuf/peripheral.h"
#include "../peripheral_job.h"
#include "stm32_dcmi.h"
#include "stm32_ltdc.h"
#include "stm32_spi_tx.h"

struct stm32_camera {
	struct dmabuf_peripheral peripheral; /* registered by the board */
	struct stm32_dcmi_capture capture;   /* set by the board as stm32_dcmi.h says */
	struct dmabuf_peripheral_job job;
};

struct stm32_display {
	struct dmabuf_peripheral peripheral;
	volatile struct stm32_ltdc_regs *ltdc;
	uint32_t layer; /* 0 = layer 1, 1 = layer 2; set up by the adapter on configure */
	struct dmabuf_adapter_report report;
	struct dmabuf_peripheral_job job;
};

struct stm32_spi_panel {
	struct dmabuf_peripheral peripheral;
	struct stm32_spi_tx tx; /* set by the board as stm32_spi_tx.h says, 8-bit frames */
	/* Send @command and its @count parameter bytes with the data/command line
	 * low for the command byte, by polled SPI with chip select held (thread
	 * context, the stream idle). The board's GPIO; mandatory. */
	void (*command)(void *board, uint8_t command, const uint8_t *parameters, uint32_t count);
	void *board;
	struct dmabuf_peripheral_job job;
	/* Private: the rows still to send of a crop. */
	struct dmabuf_mapping rows;
	uint32_t stride;
	uint32_t row_bytes;
	uint32_t rows_left;
};

/*
 * Fill @camera->peripheral as @name over the board device "dcmi": RGB565
 * high byte first or YUV422 (the sensor's byte order is kept: DCMI packs
 * bytes into words in arrival order), frames up to @max_width x
 * @max_height (what the sensor and the board's memory give).
 */
void stm32_camera_init(struct stm32_camera *camera, const char *name, uint32_t max_width, uint32_t max_height);

/* The DCMI stream's interrupt with its flags: forwards to
 * stm32_dcmi_capture_on_dma and signals the capture's fence at the end of
 * the frame (with the error if the transfer failed). ISR context.
 * @retval as stm32_dcmi_capture_on_dma. */
int stm32_camera_on_dma(struct stm32_camera *camera, uint32_t flags);

/*
 * Fill @display->peripheral as @name over the board device "ltdc": RGB565
 * low byte first (the LTDC reads little-endian halfwords; its RGB888 is
 * B, G, R in memory, not DmaBuf's R, G, B, so not offered), frames up to
 * @width x @height pixels. Configuring sets the layer up
 * (stm32_ltdc_layer_setup) inside the timing already programmed.
 */
void stm32_display_init(struct stm32_display *display, const char *name, uint32_t width, uint32_t height);

/* The LTDC register-reload interrupt (LTDC_ISR RRIF): the presented frame is
 * now the one scanned, so the frame it replaced is released: its fence
 * signals. ISR context. @retval 1 a fence signalled; 0 nothing was waiting. */
int stm32_display_on_reload(struct stm32_display *display);

/*
 * Fill @panel->peripheral as @name over the board device @dma_master (the
 * DMA master of the SPI's TX stream, "dma2" on the STM32F769I-DISCO):
 * RGB565 high byte first (COLMOD 0x55; bytes go on the wire in memory
 * order), GRAM of @ram_width x @ram_height (320 x 240 in landscape).
 */
void stm32_spi_panel_init(struct stm32_spi_panel *panel, const char *name, const char *dma_master,
			  uint32_t ram_width, uint32_t ram_height);

/* The SPI TX stream's interrupt with its flags: re-arms the next row of a
 * crop, and signals the write's fence after the last. ISR context.
 * @retval as stm32_spi_tx_on_dma (DONE only after the last row). */
int stm32_spi_panel_on_dma(struct stm32_spi_panel *panel, uint32_t flags);

#endif /* DMABUF_STM32_PERIPHERALS_H */
