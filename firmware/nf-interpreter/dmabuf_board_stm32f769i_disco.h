/*
 * The STM32F769I-DISCO's interrupt entry points into its DmaBuf peripherals
 * (dmabuf_board_stm32f769i_disco.c), for the board start-up code that routes
 * the vectors. ISR context, each one.
 */
#ifndef DMABUF_BOARD_STM32F769I_DISCO_H
#define DMABUF_BOARD_STM32F769I_DISCO_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* DMA2 stream 1 (DCMI) and stream 6 (SPI5_TX): ChibiOS's stm32_dmaisr_t
 * signature, so each can be dmaStreamAlloc's callback as it is; @flags are
 * the stream's flags as ChibiOS passes them (STM32_DMA_*IF). */
void dmabuf_disco_camera_dma(void *param, uint32_t flags);
void dmabuf_disco_panel_dma(void *param, uint32_t flags);

/* The LTDC interrupt (LTDC_IRQn 88) after the vector cleared LTDC_ICR CRRIF. */
void dmabuf_disco_display_reload(void);

/* ChibiOS builds (dmabuf_board_stm32f769i_disco_chibios.c): clocks, SPI5
 * pins and set-up, DMA2 streams 1 and 6 allocated with the callbacks above,
 * the LTDC reload interrupt on. Thread context, once.
 * @retval 0; -EBUSY a stream is another driver's (nothing kept allocated). */
int dmabuf_disco_hal_start(void);

#ifdef __cplusplus
}
#endif

#endif /* DMABUF_BOARD_STM32F769I_DISCO_H */
