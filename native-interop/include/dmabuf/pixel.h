/*
 * Pixel formats: one list for the frames layer (frame.h: what the drawing
 * kernels read and write) and the peripheral contract (peripheral.h: what a
 * camera, display or panel takes, as bit positions in its constraints).
 * KEEP IN SYNC with managed/nanoFramework.DmaBuf/PixelFormat.cs.
 *
 *   RGB565_LE  16-bit 5:6:5 value stored low byte first (the CPU's own
 *              uint16_t on these little-endian SoCs; what LTDC reads)
 *   RGB565_BE  the same value stored high byte first (DVP cameras, ST7789 /
 *              ILI9341 panels: "byte-swapped" RGB565)
 *   RGB888     3 bytes R, G, B
 *   GRAY8      1 byte luma
 *   YUYV       YUV 4:2:2, 4 bytes per pixel pair: Y0 U Y1 V (BT.601, limited
 *              range); width must be even. A copy source only for the
 *              frames layer: drawing on it is -ENOTSUP.
 *
 * 0 is no format, so a zeroed descriptor is caught as unknown.
 */
#ifndef DMABUF_PIXEL_H
#define DMABUF_PIXEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum dmabuf_pixel_format {
	DMABUF_PIXEL_RGB565_LE = 1,
	DMABUF_PIXEL_RGB565_BE = 2,
	DMABUF_PIXEL_RGB888 = 3,
	DMABUF_PIXEL_GRAY8 = 4,
	DMABUF_PIXEL_YUYV = 5,
	DMABUF_PIXEL_FORMAT_END /* one past the last: not a format */
};

/* Bytes per pixel of @format (YUYV: 2), 0 if @format is unknown. ISR-safe. */
uint32_t dmabuf_pixel_bytes(uint32_t format);

/* Short name ("RGB565_BE"), "?" if unknown: for messages. ISR-safe. */
const char *dmabuf_pixel_format_name(uint32_t format);

#ifdef __cplusplus
}
#endif

#endif /* DMABUF_PIXEL_H */
