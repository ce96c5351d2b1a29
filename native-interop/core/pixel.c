/* Pixel formats (dmabuf/pixel.h): sizes and names, one table each. */
#include "dmabuf/pixel.h"

static const uint8_t pixel_bytes[DMABUF_PIXEL_FORMAT_END] = { 0, 2, 2, 3, 1, 2 };
static const char *const pixel_names[DMABUF_PIXEL_FORMAT_END] = { "?", "RGB565_LE", "RGB565_BE", "RGB888", "GRAY8", "YUYV" };

uint32_t dmabuf_pixel_bytes(uint32_t format)
{
	return format < DMABUF_PIXEL_FORMAT_END ? pixel_bytes[format] : 0u;
}

const char *dmabuf_pixel_format_name(uint32_t format)
{
	return format < DMABUF_PIXEL_FORMAT_END ? pixel_names[format] : "?";
}
