/*
 * LTDC layer frame buffer from a DmaBuf mapping (STM32F7).
 *
 * The LTDC has its own AHB master that scans a layer's frame buffer: one
 * contiguous block (a mapping is always one physically contiguous block, and
 * the board's "ltdc" device allows one segment). Showing a buffer is writing
 * the layer's address and geometry (LTDC_LxCFBAR, LxCFBLR, LxCFBLNR) and
 * asking for a shadow reload (LTDC_SRCR); the layer is enabled with its
 * first frame. Its window, pixel format, line length and blending are set
 * once, by stm32_ltdc_layer_setup, inside the display timing someone else
 * programmed (the LTDC's BPCR and AWCR).
 *
 * The trap: those registers are shadowed. Until the reload happens -- at the
 * next vertical blanking with LTDC_SRCR_VBR -- the LTDC keeps scanning the
 * PREVIOUS buffer. So the previous buffer stays mapped (the device still
 * reads it) until stm32_ltdc_reload_pending() returns false (or the
 * register-reload interrupt, LTDC_ISR RRIF, fires); only then may it be
 * unmapped and handed back to the CPU. Tear-free double buffering is exactly
 * this: map B, show B with VBR, wait for the reload, unmap A.
 */
#ifndef DMABUF_STM32_LTDC_H
#define DMABUF_STM32_LTDC_H

#include <stdbool.h>
#include <stdint.h>

#include "../adapter_report.h"
#include "dmabuf/dmabuf.h"
#include "stm32_regs.h"

struct stm32_ltdc_frame {
	uint32_t width;           /* pixels per line */
	uint32_t height;          /* lines, at most 2047 */
	uint32_t bytes_per_pixel; /* of the layer's LTDC_LxPFCR format: 4, 3, 2 or 1 */
	uint32_t pitch;           /* bytes from one line start to the next, >= width * bpp */
};

/*
 * Point layer @layer (0 = layer 1, 1 = layer 2) at the buffer of @m, mapped
 * TO_DEVICE for the "ltdc" device, and request the reload @reload
 * (LTDC_SRCR_VBR: at vertical blanking; LTDC_SRCR_IMR: now). Any context.
 * @retval 0; -EINVAL bad layer, reload, geometry (line longer than 8188
 *         bytes, pitch above 8191, more than 2047 lines) or mapping (not
 *         TO_DEVICE, shorter than the frame); -EBUSY the previous reload has
 *         not happened yet (its buffer is still the one being shown).
 */
int stm32_ltdc_layer_show(volatile struct stm32_ltdc_regs *ltdc, uint32_t layer,
			  const struct stm32_ltdc_frame *frame, const struct dmabuf_mapping *m,
			  uint32_t reload, const struct dmabuf_adapter_report *report);

/*
 * Set layer @layer up for RGB565 frames of @frame's geometry (2 bytes per
 * pixel; the LTDC reads each as a little-endian halfword): a window of the frame's size at the top left of the active area the LTDC's
 * timing registers describe (BPCR, AWCR: set by whoever started the LTDC),
 * the pixel format, line length, pitch and lines, opaque constant-alpha
 * blending over the layer below. The layer is disabled until the first
 * stm32_ltdc_layer_show; the registers are reloaded at once (LTDC_SRCR_IMR).
 * Thread context, the layer idle. @retval 0; -EINVAL bad layer, pixel size or
 * geometry (as stm32_ltdc_layer_show); -EDOM the frame does not fit in the
 * active area (none, before the timing is set); -EBUSY a reload is pending.
 */
int stm32_ltdc_layer_setup(volatile struct stm32_ltdc_regs *ltdc, uint32_t layer,
			   const struct stm32_ltdc_frame *frame, const struct dmabuf_adapter_report *report);

/* True while a requested reload has not happened (LTDC_SRCR reads back the
 * request bit until then). */
bool stm32_ltdc_reload_pending(volatile struct stm32_ltdc_regs *ltdc);

#endif /* DMABUF_STM32_LTDC_H */
