/*
 * LTDC layer frame-buffer switch.
 */
#include "stm32_ltdc.h"

#include "dmabuf/errors.h"

#define LTDC_LAYERS 2u
#define LTDC_MAX_BYTES_PER_PIXEL 4u

bool stm32_ltdc_reload_pending(volatile struct stm32_ltdc_regs *ltdc)
{
	return (stm32_read(&ltdc->srcr) & (LTDC_SRCR_IMR | LTDC_SRCR_VBR)) != 0;
}

/* A geometry the layer's registers can hold. */
static int ltdc_check_geometry(const struct stm32_ltdc_frame *f, const struct dmabuf_adapter_report *report)
{
	if (!f || !f->width || !f->height || !f->bytes_per_pixel ||
	    f->bytes_per_pixel > LTDC_MAX_BYTES_PER_PIXEL)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "ltdc: frame needs width, height and 1..4 bytes per pixel");
	/* 64-bit: width * bpp must not wrap before it is compared. */
	uint64_t line = (uint64_t)f->width * f->bytes_per_pixel;
	if (line + LTDC_CFBLR_LINE_EXTRA > LTDC_CFBLR_FIELD_MAX)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "ltdc: line longer than 8188 bytes (LxCFBLR.CFBLL)");
	if (f->pitch < line || f->pitch > LTDC_CFBLR_FIELD_MAX)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "ltdc: pitch below the line length or above 8191 (LxCFBLR.CFBP)");
	if (f->height > LTDC_CFBLNR_MAX)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "ltdc: more than 2047 lines (LxCFBLNR)");
	return 0;
}

static int ltdc_check_frame(const struct stm32_ltdc_frame *f, const struct dmabuf_mapping *m,
		       const struct dmabuf_adapter_report *report)
{
	int err = ltdc_check_geometry(f, report);
	if (err)
		return err;
	uint64_t line = (uint64_t)f->width * f->bytes_per_pixel;
	if (!m)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "ltdc: no mapping");
	if (!(m->direction & DMABUF_TO_DEVICE))
		return ADAPTER_FAIL(report, DMABUF_EINVAL,
				    "ltdc: the mapping must be TO_DEVICE or BIDIRECTIONAL (the LTDC reads)");
	if ((uint64_t)(f->height - 1) * f->pitch + line > m->length)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "ltdc: the frame is larger than the buffer");
	return 0;
}

int stm32_ltdc_layer_show(volatile struct stm32_ltdc_regs *ltdc, uint32_t layer,
			  const struct stm32_ltdc_frame *frame, const struct dmabuf_mapping *m,
			  uint32_t reload, const struct dmabuf_adapter_report *report)
{
	if (!ltdc || layer >= LTDC_LAYERS)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "ltdc: no LTDC block or layer not 0/1");
	if (reload != LTDC_SRCR_VBR && reload != LTDC_SRCR_IMR)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "ltdc: reload must be LTDC_SRCR_VBR or LTDC_SRCR_IMR");
	int err = ltdc_check_frame(frame, m, report);
	if (err)
		return err;
	/* Writing the shadow registers now would replace a frame that was
	 * asked for but never shown, and its buffer's hand-back would lie. */
	if (stm32_ltdc_reload_pending(ltdc))
		return ADAPTER_FAIL(report, DMABUF_EBUSY, "ltdc: the previous reload has not happened yet");

	volatile struct stm32_ltdc_layer_regs *l = &ltdc->layer[layer];
	uint32_t line = frame->width * frame->bytes_per_pixel;
	stm32_write(&l->cfbar, m->dma_addr);
	stm32_write(&l->cfblr, (frame->pitch << LTDC_CFBLR_PITCH_SHIFT) | (line + LTDC_CFBLR_LINE_EXTRA));
	stm32_write(&l->cfblnr, frame->height);
	/* Enabled with its first frame, in the same reload: enabled earlier, the
	 * layer would scan whatever its old address holds until then. */
	stm32_write(&l->cr, stm32_read(&l->cr) | LTDC_LXCR_LEN);
	stm32_write(&ltdc->srcr, reload);
	return 0;
}

int stm32_ltdc_layer_setup(volatile struct stm32_ltdc_regs *ltdc, uint32_t layer,
			   const struct stm32_ltdc_frame *frame, const struct dmabuf_adapter_report *report)
{
	if (!ltdc || layer >= LTDC_LAYERS)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "ltdc: no LTDC block or layer not 0/1");
	if (!frame || frame->bytes_per_pixel != 2u)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "ltdc: the layer is set up for RGB565 (2 bytes per pixel) only");
	int err = ltdc_check_geometry(frame, report);
	if (err)
		return err;
	if (stm32_ltdc_reload_pending(ltdc))
		return ADAPTER_FAIL(report, DMABUF_EBUSY, "ltdc: the previous reload has not happened yet");

	/* The active area is what the display timing (set by whoever started the
	 * LTDC: nanoFramework's Graphics driver on the DISCO) left in BPCR and
	 * AWCR: columns AHBP + 1 .. AAW, lines AVBP + 1 .. AAH. */
	uint32_t bpcr = stm32_read(&ltdc->bpcr);
	uint32_t awcr = stm32_read(&ltdc->awcr);
	uint32_t first_x = LTDC_ACCUMULATED_X(bpcr) + 1u;
	uint32_t first_y = LTDC_ACCUMULATED_Y(bpcr) + 1u;
	uint32_t last_x = first_x + frame->width - 1u;
	uint32_t last_y = first_y + frame->height - 1u;
	if (last_x > LTDC_ACCUMULATED_X(awcr) || last_y > LTDC_ACCUMULATED_Y(awcr))
		return ADAPTER_FAIL(report, DMABUF_EDOM,
				    "ltdc: the frame is larger than the active area of the display timing (BPCR, AWCR)");

	volatile struct stm32_ltdc_layer_regs *l = &ltdc->layer[layer];
	uint32_t line = frame->width * frame->bytes_per_pixel;
	stm32_write(&l->cr, stm32_read(&l->cr) & ~LTDC_LXCR_LEN);
	stm32_write(&l->whpcr, (last_x << LTDC_WINDOW_STOP_SHIFT) | first_x);
	stm32_write(&l->wvpcr, (last_y << LTDC_WINDOW_STOP_SHIFT) | first_y);
	stm32_write(&l->pfcr, LTDC_PF_RGB565);
	stm32_write(&l->cacr, LTDC_CACR_OPAQUE);
	stm32_write(&l->dccr, 0u);
	stm32_write(&l->bfcr, LTDC_BFCR_CONSTANT_ALPHA);
	stm32_write(&l->cfblr, (frame->pitch << LTDC_CFBLR_PITCH_SHIFT) | (line + LTDC_CFBLR_LINE_EXTRA));
	stm32_write(&l->cfblnr, frame->height);
	stm32_write(&ltdc->srcr, LTDC_SRCR_IMR);
	return 0;
}
