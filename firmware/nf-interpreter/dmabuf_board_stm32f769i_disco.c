/*
 * The STM32F769I-DISCO's frame peripherals, wired to the STM32 adapters
 * (firmware/adapters/stm32/stm32_peripherals.h) under the names the
 * nanoFramework demo opens: "camera" (DCMI), "display" (LTDC), "spi-panel"
 * (an ST7789 on SPI5 with DMA2). dmabuf_firmware_init calls
 * dmabuf_firmware_board_peripherals once its fence pool exists
 * (DMABUF_FIRMWARE_BOARD_PERIPHERALS, set by dmabuf-nf-interpreter.cmake for
 * ST_STM32F769I_DISCOVERY only).
 *
 * Register bases, DMA streams/channels and IRQ numbers: RM0410 memory map
 * and "DMA2 request mapping", cross-checked against ST's stm32f769xx.h
 * (STMicroelectronics/cmsis_device_f7 b01bc43f: SPI5_BASE APB2+0x5000,
 * LTDC_BASE APB2+0x6800, DCMI_BASE AHB2+0x50000, DMA2_BASE AHB1+0x6400,
 * DMA2_Stream1_IRQn 57, DMA2_Stream6_IRQn 69, LTDC_IRQn 88) and ChibiOS
 * 21.11's STM32F7 registry (STM32_SPI5_TX_DMA_CHN 0x07020000: stream 4
 * channel 2 or stream 6 channel 7). Pins: nf-interpreter a3e8139's
 * targets/ChibiOS/ST_STM32F769I_DISCOVERY/board.h (named after the board's
 * schematic) and target_system_device_spi_config.cpp (SPI5 on PF7/PF8/PF9).
 *
 * What the board has and what must be attached:
 *  - camera: board.h names no DCMI pin and no camera connector; a DCMI
 *    sensor (e.g. an OV7670/OV9655 module) must be wired to free DCMI-capable
 *    pins (AF13, datasheet alternate-function table) and set up over I2C by
 *    board code. Until then a capture never completes.
 *  - display: the board's 4" 800x480 panel (OTM8009A) hangs off the DSI host,
 *    which the LTDC feeds. DSI host and LTDC timing are initialised by
 *    nanoFramework's own Graphics driver (nanoCLR/nanoFramework.Graphics/
 *    DSI_To_Display_Video_Mode.cpp, CONFIG_GRAPHICS_IFACE_DSI_VIDEO), which
 *    uses LTDC layer 1. DmaBuf gets layer 2, which the LTDC adapter sets up
 *    (window, RGB565, blending) inside that timing when the display is
 *    opened: Graphics must have started the display first.
 *  - spi-panel: no ST7789 on the board. Attach one to the Arduino connector:
 *    SCK D6 (PF7), MOSI A5 (PF9), chip select D10 (PA11), data/command D9
 *    (PH6), 3V3, GND; SPI5 and those pins must not also be opened from C#
 *    (System.Device.Spi bus 5).
 *
 * The ChibiOS side (clocks, SPI5 pins and set-up, the DMA2 streams'
 * interrupts via dmaStreamAlloc to dmabuf_disco_camera_dma /
 * dmabuf_disco_panel_dma, the LTDC vector to dmabuf_disco_display_reload) is
 * dmabuf_board_stm32f769i_disco_chibios.c, called first when
 * DMABUF_FIRMWARE_BOARD_HAL is set; it needs hal.h, so CI compiles this file
 * without it. Still missing on any build: the DCMI pins and the sensor's
 * set-up. The ST7789's init sequence is the program's (SpiPanel.Initialize,
 * through panel_command below).
 */
#include "dmabuf_firmware_config.h"

#include "dmabuf_board_stm32f769i_disco.h"
#include "dmabuf_firmware.h"
#include "stm32/stm32_peripherals.h"

#define DISCO_DMA2 ((volatile struct stm32_dma_regs *)0x40026400u)
#define DISCO_DCMI ((volatile struct stm32_dcmi_regs *)0x50050000u)
#define DISCO_LTDC ((volatile struct stm32_ltdc_regs *)0x40016800u)
#define DISCO_SPI5 ((volatile struct stm32_spi_regs *)0x40015000u)
/* GPIOx_BSRR (offset 0x18, RM0410 GPIO): low half sets, high half resets. */
#define DISCO_GPIOA_BSRR ((volatile uint32_t *)(0x40020000u + 0x18u))
#define DISCO_GPIOH_BSRR ((volatile uint32_t *)(0x40021C00u + 0x18u))
#define DISCO_CS_PIN 11u /* PA11, Arduino D10 */
#define DISCO_DC_PIN 6u  /* PH6, Arduino D9 */

/* SPI_SR: TXE (RM0410 SPI_SR bit 1). */
#define DISCO_SPI_SR_TXE (1u << 1)
/* Polls of one status bit before the command gives up on a dead bus. */
#define DISCO_SPI_POLLS 100000u

/* The ST7789's GRAM in landscape, and the demo's frame (managed/PipelineDemo). */
#define DISCO_PANEL_WIDTH 320u
#define DISCO_PANEL_HEIGHT 240u

static struct stm32_camera camera;
static struct stm32_display display;
static struct stm32_spi_panel panel;
static bool registered;

static void gpio_level(volatile uint32_t *bsrr, uint32_t pin, bool high)
{
	stm32_write(bsrr, high ? (1u << pin) : (1u << (pin + 16u)));
}

static bool spi_wait(uint32_t mask, uint32_t want)
{
	for (uint32_t i = 0; i < DISCO_SPI_POLLS; i++)
		if ((stm32_read(&DISCO_SPI5->sr) & mask) == want)
			return true;
	return false;
}

/* One byte on the wire. With 8-bit frames SPI_DR must be written as a byte:
 * a word write packs two frames into the TX FIFO (RM0410 "Data packing"). */
static void spi_byte(uint8_t byte)
{
	if (spi_wait(DISCO_SPI_SR_TXE, DISCO_SPI_SR_TXE))
		*(volatile uint8_t *)&DISCO_SPI5->dr = byte;
}

/* The panel adapter's command hook: polled, chip select held, D/C low for
 * the command byte only. The stream is idle (the adapter calls this before
 * it starts one), so SPE is ours until the bus is idle again. */
static void panel_command(void *board, uint8_t command, const uint8_t *parameters, uint32_t count)
{
	(void)board;
	volatile struct stm32_spi_regs *spi = DISCO_SPI5;
	gpio_level(DISCO_GPIOA_BSRR, DISCO_CS_PIN, false);
	gpio_level(DISCO_GPIOH_BSRR, DISCO_DC_PIN, false);
	stm32_write(&spi->cr1, stm32_read(&spi->cr1) | SPI_CR1_SPE);
	spi_byte(command);
	(void)spi_wait(SPI_SR_FTLVL_MASK | SPI_SR_BSY, 0);
	gpio_level(DISCO_GPIOH_BSRR, DISCO_DC_PIN, true);
	for (uint32_t i = 0; i < count; i++)
		spi_byte(parameters[i]);
	(void)spi_wait(SPI_SR_FTLVL_MASK | SPI_SR_BSY, 0);
	stm32_write(&spi->cr1, stm32_read(&spi->cr1) & ~SPI_CR1_SPE);
	/* The bytes clocked in meanwhile: drained so the DMA write starts clean. */
	while (stm32_read(&spi->sr) & SPI_SR_FRLVL_MASK)
		(void)*(volatile uint8_t *)&spi->dr;
	gpio_level(DISCO_GPIOA_BSRR, DISCO_CS_PIN, true);
}

static void describe(void)
{
	stm32_camera_init(&camera, "camera", DISCO_PANEL_WIDTH, DISCO_PANEL_HEIGHT);
	camera.capture.dcmi = DISCO_DCMI;
	/* DMA2 stream 1 channel 1 (stream 7 is USART1_TX/QUADSPI on this target's mcuconf.h). */
	camera.capture.dma = (struct stm32_dma_stream){ DISCO_DMA2, 1u, 1u, 3u };

	stm32_display_init(&display, "display", DISCO_PANEL_WIDTH, DISCO_PANEL_HEIGHT);
	display.ltdc = DISCO_LTDC;
	display.layer = 1u; /* layer 2: layer 1 is nanoFramework Graphics' */

	stm32_spi_panel_init(&panel, "spi-panel", "dma2", DISCO_PANEL_WIDTH, DISCO_PANEL_HEIGHT);
	panel.tx.spi = DISCO_SPI5;
	/* SPI5_TX: DMA2 stream 6 channel 7 (stream 4 is ADC1's in mcuconf.h). */
	panel.tx.dma = (struct stm32_dma_stream){ DISCO_DMA2, 6u, 7u, 2u };
	panel.tx.frame_bytes = 1u;
	panel.command = panel_command;
}

int dmabuf_firmware_board_peripherals(struct dmabuf_fence_pool *fences)
{
	if (!registered)
		describe();
	/* After a soft reboot the pool is a new one: every job takes its fences from it. */
	dmabuf_peripheral_job_bind(&camera.job, fences);
	dmabuf_peripheral_job_bind(&display.job, fences);
	dmabuf_peripheral_job_bind(&panel.job, fences);
	if (registered)
		return 0;
	int err = 0;
#if defined(DMABUF_FIRMWARE_BOARD_HAL)
	/* ChibiOS builds: clocks, pins, streams and vectors before anything can start. */
	err = dmabuf_disco_hal_start();
#endif
	if (!err)
		err = dmabuf_firmware_register_peripheral(&camera.peripheral);
	if (!err)
		err = dmabuf_firmware_register_peripheral(&display.peripheral);
	if (!err)
		err = dmabuf_firmware_register_peripheral(&panel.peripheral);
	registered = err == 0;
	return err;
}

void dmabuf_disco_camera_dma(void *param, uint32_t flags)
{
	(void)param;
	(void)stm32_camera_on_dma(&camera, flags);
}

void dmabuf_disco_panel_dma(void *param, uint32_t flags)
{
	(void)param;
	(void)stm32_spi_panel_on_dma(&panel, flags);
}

void dmabuf_disco_display_reload(void)
{
	(void)stm32_display_on_reload(&display);
}
