/*
 * The STM32F769I-DISCO's DmaBuf peripherals hooked into ChibiOS: clocks, the
 * SPI5 pins and master set-up, the DMA2 streams' interrupts and the LTDC
 * reload interrupt, routed to the entry points of
 * dmabuf_board_stm32f769i_disco.h. dmabuf_board_stm32f769i_disco.c calls
 * dmabuf_disco_hal_start once, before it registers the peripherals.
 *
 * Needs ChibiOS's hal.h, so it is compiled by nf-interpreter builds only
 * (dmabuf-nf-interpreter.cmake, ST_STM32F769I_DISCOVERY), never on CI;
 * checked by the image build recorded in docs/FIRMWARE-BUILDS.md.
 *
 * Not here: the DCMI pins and the sensor's I2C set-up (the board has no
 * camera connector: which pins depends on how a sensor is attached). The
 * ST7789's init sequence is the program's (SpiPanel.Initialize), LTDC layer
 * 2's set-up the LTDC adapter's (stm32_ltdc_layer_setup, on open).
 */
#include "hal.h"

#include "dmabuf/errors.h"
#include "dmabuf_board_stm32f769i_disco.h"

/* Same priority as the target's other DMA users (mcuconf.h: SPI and I2C at 10). */
#define DISCO_IRQ_PRIORITY 10u

/* The LTDC global interrupt: vector 88 (LTDC_IRQn), at 0x40 + 88 * 4 = 0x1A0
 * in the vector table; ChibiOS names the handlers by that offset and leaves
 * this one to _unhandled_exception unless defined. */
OSAL_IRQ_HANDLER(Vector1A0)
{
	OSAL_IRQ_PROLOGUE();
	LTDC->ICR = LTDC_ICR_CRRIF;
	dmabuf_disco_display_reload();
	OSAL_IRQ_EPILOGUE();
}

int dmabuf_disco_hal_start(void)
{
	rccEnableAHB2(RCC_AHB2ENR_DCMIEN, true);
	rccEnableSPI5(true);

	/* Arduino D6 = PF7 SPI5_SCK, A5 = PF9 SPI5_MOSI (AF5, datasheet
	 * alternate-function table; the target's own SPI5 configuration uses the
	 * same); D10 = PA11 chip select, idle high; D9 = PH6 data/command. */
	palSetPadMode(GPIOF, 7, PAL_MODE_ALTERNATE(5) | PAL_STM32_OSPEED_HIGHEST);
	palSetPadMode(GPIOF, 9, PAL_MODE_ALTERNATE(5) | PAL_STM32_OSPEED_HIGHEST);
	palSetPad(GPIOA, 11);
	palSetPadMode(GPIOA, 11, PAL_MODE_OUTPUT_PUSHPULL | PAL_STM32_OSPEED_HIGHEST);
	palSetPadMode(GPIOH, 6, PAL_MODE_OUTPUT_PUSHPULL | PAL_STM32_OSPEED_HIGHEST);

	/* Master, software slave select, mode 0, PCLK2 / 8 (108 / 8 = 13.5 MHz
	 * at the target's 216 MHz); 8-bit frames, RXNE at one byte. SPE stays
	 * clear: the adapter and the command hook set it. */
	SPI5->CR1 = SPI_CR1_MSTR | SPI_CR1_SSM | SPI_CR1_SSI | SPI_CR1_BR_1;
	SPI5->CR2 = SPI_CR2_DS_2 | SPI_CR2_DS_1 | SPI_CR2_DS_0 | SPI_CR2_FRXTH;

	/* ChibiOS enables the stream's clock and NVIC vector, and calls back
	 * with the stream's flags read and cleared, as the adapters expect. */
	const stm32_dma_stream_t *camera =
		dmaStreamAlloc(STM32_DMA_STREAM_ID(2, 1), DISCO_IRQ_PRIORITY, dmabuf_disco_camera_dma, NULL);
	if (camera == NULL)
		return DMABUF_EBUSY;
	if (dmaStreamAlloc(STM32_DMA_STREAM_ID(2, 6), DISCO_IRQ_PRIORITY, dmabuf_disco_panel_dma, NULL) == NULL) {
		dmaStreamFree(camera); /* a later init tries both again */
		return DMABUF_EBUSY;
	}

	LTDC->IER |= LTDC_IER_RRIE;
	nvicEnableVector(LTDC_IRQn, DISCO_IRQ_PRIORITY);
	return 0;
}
