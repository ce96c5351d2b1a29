/*
 * One frame of the demo's two pipelines on the board's CPU side, as the
 * target benchmark counts it (bench_target.c, instructions under QEMU) and
 * the STM32F769I-DISCO self-test times it (firmware/stm32f769i-disco-selftest,
 * DWT cycles): one body, so the estimate and the measurement are of the same
 * code. Every call is a frame loop's steady state: the caller has exported
 * the buffers; the device side (camera DMA, scan-out) is not part of it.
 */
#ifndef DMABUF_PIPELINE_FRAME_H
#define DMABUF_PIPELINE_FRAME_H

#include <stdint.h>

#include "dmabuf/dmabuf.h"
#include "dmabuf/frame.h"

/*
 * The copy baseline (managed/PipelineDemo.Core/CopyBaselinePipeline.cs
 * without its crop copy to the SPI buffer): open @camera for reading, copy
 * its @bytes out into @picture (the managed array), close it; open
 * @framebuffer for writing, copy @picture in, close it.
 * @retval 0, or the first failing call's error.
 */
int pipeline_copy_frame(struct dmabuf_ctx *ctx, dmabuf_handle_t camera, dmabuf_handle_t framebuffer,
			uint8_t *picture, uint32_t bytes);

/*
 * The zero-copy pipeline's accesses without the drawing: open @camera
 * Bidirectional over the whole frame and close it (an upper bound of the
 * overlay's two bands); the frame then goes to the display as it is.
 * @retval 0, or the first failing call's error.
 */
int pipeline_zero_copy_frame(struct dmabuf_ctx *ctx, dmabuf_handle_t camera);

struct pipeline_rect {
	int32_t x, y, width, height;
};

/* The demo overlay's two rectangles (managed/PipelineDemo.Core/Overlay.cs,
 * frame 0's box on a 240x240 glass centred in the frame). */
struct pipeline_overlay {
	struct pipeline_rect plate; /* filled, 6 digits of text at scale 2 */
	struct pipeline_rect box;   /* darkened inside, 4 border fills */
};

/* The overlay's rectangles on a @width x @height frame (at least 240x240). */
struct pipeline_overlay pipeline_overlay_layout(uint32_t width, uint32_t height);

/*
 * The zero-copy pipeline with its drawing: the overlay drawn in place on
 * @frame (RGB565 BE) through the frames layer, the plate under a ToDevice
 * access and the box under a Bidirectional one, each over its rectangle's
 * byte range. @retval 0, or the first failing call's error.
 */
int pipeline_overlay_draw(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame,
			  const struct pipeline_overlay *overlay);

/* The same pixels by the frame kernels alone, @cpu the frame's first byte
 * (inside an access the caller holds): the overlay's unavoidable work. */
void pipeline_overlay_kernels(uint8_t *cpu, uint32_t stride, const struct pipeline_overlay *overlay);

#endif /* DMABUF_PIPELINE_FRAME_H */
